/**
 * Test set-up: initialises tfjs (cpu by default so tf.grad is an independent oracle; wasm when
 * asked) and installs a direct host as `globalThis.__host` before any guest module loads.
 */
import { initNodeBackend } from "../kernels/backend-node.js";
import { nodeDataSource } from "../kernels/data-node.js";
import { createKernelTable } from "../kernels/index.js";
import { tapeRules } from "../kernels/tape.js";
import { createDirectHost, type DirectHost } from "./direct-host.js";

export async function installDirectHost(backend: "cpu" | "wasm" = "cpu"): Promise<DirectHost> {
  await initNodeBackend(backend);
  const host = createDirectHost(createKernelTable(nodeDataSource), tapeRules);
  (globalThis as { __host?: unknown }).__host = host;
  return host;
}
