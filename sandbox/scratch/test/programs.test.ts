/**
 * Training programs written as attendees would write them (test/programs/*.js, importing
 * "scratch"), run in-process on the wasm backend through the direct host. Each program reports
 * through `check` events; the same sources also run inside the sandbox runner.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { installDirectHost } from "../testing/install.js";

const host = await installDirectHost("wasm");

beforeEach(() => {
  host.events.length = 0;
  host.configure({});
});

function checks() {
  return host.events
    .filter((e) => e.type === "check")
    .map((e) => e.payload as { name: string; passed: boolean });
}

async function runProgram(name: string): Promise<void> {
  await import(`./programs/${name}.js`);
  const results = checks();
  expect(results.length).toBeGreaterThan(0);
  for (const r of results) expect(r, r.name).toMatchObject({ passed: true });
}

describe("training programs (direct host, wasm)", () => {
  it("the guaranteed API of design §6.1 works verbatim", () => runProgram("guaranteed-api"));
  it("an MLP reaches > 95% training accuracy on spirals", () => runProgram("spirals-mlp"));
  it("hand-written gradient descent converges to the closed-form regression", () =>
    runProgram("linear-regression"));
  it("a 1,000-step training loop leaves no tensors alive", async () => {
    const before = host.live;
    await runProgram("disposal");
    expect(host.live).toBe(before);
  });
  it("a small CNN learns MNIST above 90% test accuracy", () => runProgram("mnist-cnn"), 120_000);
});
