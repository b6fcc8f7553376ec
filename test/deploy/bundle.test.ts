/**
 * The server's bundle (bin/bundle-server.js): `npm start` runs the main thread bundled, with the
 * workers and child processes started from the files beside it. The production bundle points each
 * source's `import.meta` at its built file; the bench's bundle (same code, paths into the sources)
 * starts under plain node and serves the first use of every lazily loaded chunk: the export's zip,
 * the upload checks, the sandbox runner of a verification; and the code of those rare paths is in
 * none of the files its startup imports statically.
 */
import { spawn, type ChildProcess, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleServer } from "../../bin/bundle-server.js";

const root = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");
const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The text of every .js file esbuild wrote to `dir`. */
const bundleText = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");

describe("the production bundle", () => {
  it("points every import.meta of our sources at the built file it stands for", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "scratchroom-bundle-"));
    temporary.push(outdir);
    await (bundleServer as (options: object) => Promise<void>)({
      root,
      entry: join(root, "server", "cli.ts"),
      name: "cli",
      outdir,
      metaFrom: "build",
    });
    const text = bundleText(outdir);
    const built = (source: string) =>
      relative(outdir, join(root, "dist", source.replace(/\.ts$/, ".js")))
        .split("\\")
        .join("/");
    // The storage jobs', the packs loader's and the sandbox runner's files, found from the build.
    for (const source of [
      "server/storage/sqlite-jobs.ts",
      "server/packs/load-isolated.ts",
      "sandbox/runner/node.ts",
    ]) {
      expect(text).toContain(JSON.stringify(built(source)));
    }
    expect(text).not.toMatch(/import\.meta\.(dirname|filename)/);
    // zod's translations are left out (bin/bundle-server.js): not its Hebrew message for a string.
    expect(text.toLowerCase()).not.toContain("\\u05de\\u05d7\\u05e8\\u05d5\\u05d6\\u05ea");
  });
});

describe("the bench's bundle, under plain node", () => {
  let server: ChildProcess;
  let url = "";
  const outdir = join(root, "dist", ".bench", `test-${process.pid}`);

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, "bin", "bundle-server.js"), "--bench", outdir, root]);
    temporary.push(outdir);
    const dataDir = mkdtempSync(join(tmpdir(), "scratchroom-bundle-data-"));
    temporary.push(dataDir);
    const start = [
      `const m = await import(${JSON.stringify(join(outdir, "server.js"))});`,
      `const config = m.loadConfig({}, { port: 0, host: "127.0.0.1", dataDir: ${JSON.stringify(dataDir)} });`,
      `const server = await m.startServer(config, m.createLogger("warn"));`,
      `console.log(server.url);`,
      `process.on("disconnect", () => server.close().then(() => process.exit(0)));`,
    ].join("\n");
    // A file, not `node --input-type=module -e`: workers inherit that flag, and the storage
    // thread's script is CommonJS.
    const script = join(outdir, "start.mjs");
    writeFileSync(script, start);
    server = spawn(process.execPath, [script], {
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = "";
      server.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const line = out.split("\n").find((l) => l.startsWith("http://"));
        if (line) resolve(line.trim());
      });
      server.once("exit", (code) => reject(new Error(`the bundled server exited (${code})`)));
    });
  }, 60_000);

  afterAll(async () => {
    const exited = new Promise((r) => server.once("exit", r));
    server.disconnect();
    await exited;
  });

  const api = async (
    path: string,
    init: { method?: string; bearer?: string; json?: unknown; body?: string } = {},
  ) => {
    const res = await fetch(`${url}${path}`, {
      method: init.method ?? "GET",
      headers: {
        ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}),
        ...(init.json !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
    return res;
  };

  it("loads the rare paths only on first use: none of their code is in the startup's static imports", () => {
    const loaded = new Set<string>();
    const pending = ["server.js"];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (loaded.has(file)) continue;
      loaded.add(file);
      const text = readFileSync(join(outdir, file), "utf8");
      // Static `import … from "./x.js"` / `export … from "./x.js"`, not the lazy `import("./x.js")`.
      for (const m of text.matchAll(
        /(?:^|[;\n}])\s*(?:import|export)\s*(?:[^"()]*?from\s*)?"\.\/([^"]+)"/g,
      )) {
        pending.push(m[1]!);
      }
    }
    const startup = [...loaded].map((f) => readFileSync(join(outdir, f), "utf8")).join("\n");
    const lazy = bundleText(outdir);
    // fflate (export zips, uploads), acorn (the upload checks and the in-process packs loader),
    // pg and ioredis (only with DATABASE_URL / REDIS_URL): in the bundle, not at startup.
    const rare = {
      fflate: "invalid zip data",
      acorn: "ecmaVersion",
      pg: 'from"pg"',
      ioredis: 'from"ioredis"',
    };
    for (const [name, marker] of Object.entries(rare)) {
      expect(lazy.includes(marker), name).toBe(true);
      expect(startup.includes(marker), name).toBe(false);
    }
  });

  it("creates a session, exports it as a zip, rejects a broken upload and verifies a workspace", async () => {
    const created = (await (
      await api("/api/sessions", { method: "POST", json: { pack: "demo" } })
    ).json()) as {
      sessionId: string;
      hostKey: string;
      joinCode: string;
    };
    expect(created.hostKey, JSON.stringify(created)).toBeTruthy();
    const joined = await api("/api/join", {
      method: "POST",
      json: { joinCode: created.joinCode, name: "Ada" },
    });
    expect(joined.status).toBe(201);
    const { workspaceId } = (await joined.json()) as { workspaceId: string };

    const zip = await api(`/api/sessions/${created.sessionId}/export?format=zip`, {
      bearer: created.hostKey,
    });
    expect(zip.status).toBe(200);
    expect(Object.keys(unzipSync(new Uint8Array(await zip.arrayBuffer())))).toContain("progress.csv");

    const upload = await api("/api/packs", { method: "POST", body: "not a zip" });
    expect(upload.status).toBe(422);

    const tasks = (await (
      await api(`/api/sessions/${created.sessionId}/tasks`, { bearer: created.hostKey })
    ).json()) as { tasks: { id: string }[] };
    const verified = await api(`/api/sessions/${created.sessionId}/verify`, {
      method: "POST",
      bearer: created.hostKey,
      json: { workspaceId, taskId: tasks.tasks[0]!.id },
    });
    expect(verified.status).toBe(200);
    expect(((await verified.json()) as { result: { status: string } }).result.status).toBe("ok");
  }, 60_000);
});
