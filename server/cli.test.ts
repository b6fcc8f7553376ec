import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { cli } from "./packs/test/cli.js";

const root = new URL("..", import.meta.url).pathname;

describe("scratchroom CLI", { timeout: 120_000 }, () => {
  it.each([["serve"], ["run"], ["verify"], ["preview"], ["new-pack"], ["new-session"]])(
    "%s --help prints the command's usage and exits 0",
    async (command) => {
      const { code, stdout, stderr } = await cli([command, "--help"]);
      expect(stderr).not.toMatch(/Unknown option/);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^usage: scratchroom ${command}\\b`));
    },
  );

  describe("serve on a port in use", () => {
    let taken: Server;
    let data: string;
    afterAll(() => {
      taken?.close();
      if (data) rmSync(data, { recursive: true, force: true });
    });

    it("exits 1 with one line naming the port, instead of staying alive", async () => {
      taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
      const port = (taken.address() as { port: number }).port;
      data = mkdtempSync(join(tmpdir(), "scratchroom-serve-"));
      const { code, stdout, stderr } = await cli(["serve"], {
        env: {
          PORT: String(port),
          HOST: "127.0.0.1",
          DATA_DIR: data,
          DATABASE_URL: undefined,
          REDIS_URL: undefined,
        },
        timeoutMs: 60_000,
      });
      expect(code).toBe(1);
      expect(stderr.trim().split("\n")).toEqual([
        `scratchroom serve: port ${port} on 127.0.0.1 is already in use (stop the other server, or set PORT to a free port)`,
      ]);
      expect(stdout).not.toContain("Scratchroom is running");
    });
  });

  describe("without a current build", () => {
    // A copy of bin/ beside links to the sources, so what dist/ holds is up to each test.
    let copy: string;
    beforeEach(() => {
      copy = mkdtempSync(join(tmpdir(), "scratchroom-nodist-"));
      cpSync(join(root, "bin"), join(copy, "bin"), { recursive: true });
      for (const entry of ["server", "sandbox", "node_modules", "package.json", "sessions"]) {
        symlinkSync(join(root, entry), join(copy, entry));
      }
    });
    afterEach(() => rmSync(copy, { recursive: true, force: true }));

    const run = () =>
      cli(["--help"], {
        script: join(copy, "bin", "scratchroom.js"),
        env: { SCRATCHROOM_SOURCE: undefined },
      });

    /** A stand-in dist/bundle/cli.js that says it ran, with modification time `at`. */
    function fakeBuild(at: Date) {
      const file = join(copy, "dist", "bundle", "cli.js");
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, 'console.log("the build ran");\n');
      utimesSync(file, at, at);
    }

    it("says on stderr that it compiles the sources when there is no build in dist/", async () => {
      const { code, stdout, stderr } = await run();
      expect(code).toBe(0);
      expect(stdout).toContain("usage: scratchroom <command>");
      expect(stderr).toMatch(/^scratchroom: no build in dist\/; compiling the TypeScript sources/);
    });

    it("runs the sources, saying so, when dist/ is older than them, and dist/ when it is current", async () => {
      fakeBuild(new Date("2000-01-01T00:00:00Z"));
      const stale = await run();
      expect(stale.stderr).toMatch(/^scratchroom: dist\/ is older than the sources; compiling/);
      expect(stale.stdout).toContain("usage: scratchroom <command>");
      fakeBuild(new Date(Date.now() + 3_600_000));
      const current = await run();
      expect(current.stdout.trim()).toBe("the build ran");
      expect(current.stderr).toBe("");
    });
  });
});
