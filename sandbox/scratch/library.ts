/**
 * The `scratch` library as the runner sees it. Placeholder until the ML core lands: no modules,
 * no kernels.
 */
import type { HostLibrary } from "../kernel/types.js";

export const scratchLibrary: HostLibrary = {
  modules: {},
  publicModules: [],
  umbrella: () => "export {};",
  kernels: {},
};
