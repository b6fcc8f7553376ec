import { defineConfig } from "vite";
import { tfjsWasmThreads } from "./sandbox/scratch/kernels/wasm-threads-plugin.js";

/** Builds the browser client (join page, attendee room, host dashboard) into dist/client. */
export default defineConfig({
  root: "client",
  publicDir: false,
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
  },
  plugins: [tfjsWasmThreads()],
  worker: { format: "es", plugins: () => [tfjsWasmThreads()] },
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
});
