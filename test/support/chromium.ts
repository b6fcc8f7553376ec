/**
 * Where Debian's Chromium is and how to launch it here. Kept apart from requirements.ts (which
 * needs vitest) so benchmarks run outside vitest can launch it too.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags for Debian's Chromium on a machine with no network and no GPU, running as root. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Flags that offer WebGPU on Chromium's software adapter (SwiftShader over Vulkan) instead of
 * disabling the GPU: how the conformance suite tests the WebGPU backend without a GPU. Pages must
 * be served from 127.0.0.1 or localhost (a secure context).
 */
export const CHROMIUM_WEBGPU_ARGS = [
  ...CHROMIUM_ARGS.filter((flag) => flag !== "--disable-gpu"),
  "--enable-unsafe-webgpu",
  "--use-webgpu-adapter=swiftshader",
  "--enable-features=Vulkan",
];
