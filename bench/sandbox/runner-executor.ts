/**
 * Runs the bench's guest programs inside the sandbox runner (a warm worker, `scratch` as its
 * library), collecting the metrics they log.
 */
import { createScratchRunner } from "../../sandbox/scratch/testing/runner.js";
import type { MetricPoint } from "./direct-executor.js";

export interface RunnerExecutor {
  name: string;
  run(source: string): Promise<MetricPoint[]>;
  close(): Promise<void>;
}

/** A runner-backed executor, or undefined when sandbox/runner is not on this branch. */
export async function createRunnerExecutor(): Promise<RunnerExecutor | undefined> {
  const runner = await createScratchRunner(1);
  if (runner === undefined) return undefined;
  await runner.ready();
  return {
    name: "sandbox",
    async run(source) {
      const metrics: MetricPoint[] = [];
      const done = await runner.run({ source, limits: { timeoutMs: 300_000 } }, (e) => {
        if (e.type === "metric") metrics.push({ name: e.name, step: e.step, value: e.value });
      });
      if (done.status !== "ok") throw new Error(`bench program failed: ${done.error?.message ?? "?"}`);
      return metrics;
    },
    close: () => runner.close(),
  };
}
