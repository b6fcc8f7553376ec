import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "./verify-cli.js";
import { writePack, type Fixture } from "./test/fixture.js";

let fixture: Fixture | undefined;
afterEach(() => {
  fixture?.cleanup();
  vi.restoreAllMocks();
});

/** Runs the command, capturing what it prints. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  const code = await main(argv);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("scratchroom verify", { timeout: 120_000 }, () => {
  it("rejects bad options with exit code 2", async () => {
    expect((await run(["--jobs", "0"])).code).toBe(2);
    expect((await run(["--colour"])).code).toBe(2);
  });

  it("exits 1 for a pack that does not exist", async () => {
    const { code, err } = await run(["no-such-pack", "--sessions", "/nonexistent"]);
    expect(code).toBe(1);
    expect(err).toContain('no pack folder "no-such-pack"');
  });

  it("exits 1 and prints every problem of a pack that does not load", async () => {
    fixture = writePack({ "tasks/double/solution.js": "export function double(x) {\n  return 2 *;\n}\n" });
    const { code, err } = await run([fixture.dir]);
    expect(code).toBe(1);
    expect(err).toContain(
      `${fixture.dir}/tasks/double/solution.js:2: syntax error: Unexpected token (column 13)`,
    );
  });

  it("verifies a pack folder, printing the table, or JSON", async () => {
    fixture = writePack();
    // A loose first-feedback limit: the suite's machine is busy, and timing is not under test here.
    const text = await run([fixture.dir, "--first-feedback-ms", "60000"]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^tiny \| double \| passes 2\/2 checks \| fails 2\/2 checks \|/m);
    expect(text.out).toMatch(/1 pack\(s\), 1 task\(s\), 0 failed; total \d+\.\d s/);
    const json = await run([fixture.dir, "--json", "--first-feedback-ms", "60000"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({
      ok: true,
      tasks: [{ pack: "tiny", task: "double", ok: true }],
    });
  });

  it("exits 1 when a task fails verification", async () => {
    fixture = writePack({ "tasks/double/starter.js": "export function double(x) {\n  return 2 * x;\n}\n" });
    const { code, out } = await run([fixture.dir]);
    expect(code).toBe(1);
    expect(out).toContain("starter code passes all 2 checks: it must fail at least one");
  });
});
