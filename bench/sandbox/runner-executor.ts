/**
 * Runs the bench's guest programs inside the sandbox runner (a warm worker, `scratch` as its
 * library), collecting the metrics they log.
 */
import { createNodeRunner } from "../../sandbox/runner/node.js";
import type { MetricPoint } from "./direct-executor.js";

export interface RunnerExecutor {
  name: string;
  run(source: string): Promise<MetricPoint[]>;
  close(): Promise<void>;
}

export async function createRunnerExecutor(): Promise<RunnerExecutor> {
  const runner = createNodeRunner({
    poolSize: 1,
    library: new URL("../../sandbox/scratch/library.ts", import.meta.url),
  });
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
