import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeWith } from "../../test/support/requirements.js";
import type { Config } from "../config.js";
import { validFiles } from "../packs/test/fixture.js";
import { packZip } from "../packs/test/zip.js";
import { createTestSchema, type TestSchema } from "../../support/pg-schema.js";
import { startTestServer, tempDataDir, type TestServer } from "../../support/server.js";

const BROKEN = { "tasks/double/solution.js": "export function double(x) {\n  return 2 *;\n}\n" };

function upload(server: TestServer, zip: Uint8Array, key?: string) {
  return server.api("/api/packs", {
    method: "POST",
    body: Buffer.from(zip),
    headers: { "content-type": "application/zip" },
    ...(key ? { bearer: key } : {}),
  });
}

/** The same tests on SQLite and on Postgres: `start` gives a server on a fresh store, `second` another instance on the same one. */
function uploadContract(start: (overrides?: Partial<Config>) => Promise<TestServer>) {
  const servers: TestServer[] = [];
  const started = async (overrides: Partial<Config> = {}) => {
    const server = await start(overrides);
    servers.push(server);
    return server;
  };
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it("rejects a pack with a mistake, giving file:line, then accepts it fixed and lists it as uploaded on every instance", async () => {
    const server = await started();
    const running = await started({ dataDir: server.dataDir });
    expect((await server.api("/api/packs/uploads")).body).toEqual({
      policy: "open",
      maxBytes: 2 * 1024 * 1024,
    });

    const rejected = await upload(server, packZip(BROKEN));
    expect(rejected.status).toBe(422);
    expect(rejected.body.error.code).toBe("pack_invalid");
    expect(rejected.body.error.problems).toEqual([
      { file: "tasks/double/solution.js", line: 2, message: "syntax error: Unexpected token (column 13)" },
    ]);
    expect((await server.api("/api/packs")).body.map((p: { id: string }) => p.id)).not.toContain("tiny");

    const accepted = await upload(server, packZip());
    expect(accepted.status).toBe(201);
    expect(accepted.body).toEqual({
      id: "tiny",
      title: "Tiny pack",
      uploaded: true,
      tasks: [{ id: "double", title: "Double it" }],
    });
    const listed = (await server.api("/api/packs")).body as { id: string; uploaded?: boolean }[];
    expect(listed.find((p) => p.id === "tiny")).toMatchObject({ uploaded: true });
    expect(listed.find((p) => p.id === "demo")?.uploaded).toBeUndefined();
    const session = await server.api("/api/sessions", { method: "POST", json: { pack: "tiny" } });
    expect(session.status).toBe(201);

    // Uploading the same id again replaces the pack.
    const retitled = JSON.stringify({
      ...JSON.parse(validFiles["pack.json"]!),
      title: "Tiny pack, take two",
    });
    expect((await upload(server, packZip({ "pack.json": retitled }))).status).toBe(201);
    const relisted = (await server.api("/api/packs")).body as { id: string; title: string }[];
    expect(relisted.filter((p) => p.id === "tiny").map((p) => p.title)).toEqual(["Tiny pack, take two"]);

    // Another instance on the same database serves it too: one started later loads it at start,
    // one already running picks it up when it next polls the store.
    const later = await started({ dataDir: server.dataDir });
    const seen = (await later.api("/api/packs")).body as { id: string; uploaded?: boolean }[];
    expect(seen.find((p) => p.id === "tiny")).toMatchObject({ uploaded: true, title: "Tiny pack, take two" });
    // (Its 5 s poll may have run already; refresh() is what the poll calls.)
    await running.catalog.refresh();
    expect(running.catalog.packs.get("tiny")?.uploaded).toBe(true);
    expect((await running.api("/api/sessions", { method: "POST", json: { pack: "tiny" } })).status).toBe(201);
  });

  it("runs verify: a reference that throws is refused with the error's file:line", async () => {
    const server = await started();
    const rejected = await upload(
      server,
      packZip({
        "tasks/double/solution.js": "export function double(x) {\n  return undefinedFunction(x);\n}\n",
      }),
    );
    expect(rejected.status).toBe(422);
    expect(rejected.body.error.problems[0]).toMatchObject({ file: "tasks/double/solution.js" });
    expect(rejected.body.error.problems[0].message).toMatch(
      /^verify: reference: check "double 2 is 4" failed: ReferenceError: 'undefinedFunction' is not defined \(at solution\.js:2:10\)/,
    );
  });

  it("refuses a shipped pack's id, and a zip with a path outside the pack", async () => {
    const server = await started();
    const shipped = await upload(
      server,
      packZip(
        {
          "pack.json": JSON.stringify({
            id: "demo",
            title: "x",
            track: "demo",
            duration: 5,
            level: "beginner",
            tasks: ["double"],
          }),
        },
        { folder: "demo" },
      ),
    );
    expect(shipped.status).toBe(409);
    expect(shipped.body.error.problems[0].message).toContain('"demo" is a pack this server ships');
    const evil = await upload(server, packZip({ "../evil.js": "x" }, { folder: null }));
    expect(evil.status).toBe(422);
    expect(evil.body.error.problems[0]).toMatchObject({ file: "../evil.js" });
  });

  it("asks for the upload key when one is configured, and refuses every upload when off", async () => {
    const keyed = await started({ packUploads: { policy: "key", key: "s3cret-key" } });
    expect((await keyed.api("/api/packs/uploads")).body.policy).toBe("key");
    expect((await upload(keyed, packZip())).status).toBe(401);
    expect((await upload(keyed, packZip(), "wrong-key")).status).toBe(401);
    const accepted = await upload(keyed, packZip(), "s3cret-key");
    expect(accepted.body).toMatchObject({ id: "tiny", uploaded: true });
    expect(accepted.status).toBe(201);
    const off = await started({ packUploads: { policy: "off", key: null } });
    expect((await upload(off, packZip())).status).toBe(403);
  });
}

describe("pack upload on SQLite", { timeout: 120_000 }, () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  uploadContract(async (overrides = {}) => {
    const dataDir = overrides.dataDir ?? tempDataDir();
    dirs.push(dataDir);
    return startTestServer({ ...overrides, dataDir });
  });
});

await describeWith(["postgres"], "pack upload on Postgres", () => {
  let schema: TestSchema;
  beforeAll(async () => {
    schema = await createTestSchema("packs");
  });
  afterAll(async () => {
    await schema.drop();
  });
  uploadContract((overrides = {}) => startTestServer({ ...overrides, databaseUrl: schema.url }));
});
