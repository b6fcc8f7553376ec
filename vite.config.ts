import { defineConfig } from "vite";
import { tfjsWasmThreads } from "./sandbox/scratch/kernels/wasm-threads-plugin.js";
import { CROSS_ORIGIN_ISOLATION_HEADERS } from "./server/isolation.js";

/**
 * Builds the browser client (join page, attendee room, host dashboard) into dist/client.
 *
 * Quiet on purpose (`npm install` builds through `prepare`): the largest chunk is the sandbox Web
 * Worker (QuickJS + TensorFlow.js, about 2 MB), loaded off the main thread once the room's editor
 * is up, and every page other than the join page is a chunk of its own, so Vite's 500 kB chunk
 * warning says nothing actionable; nor does Rolldown's plugin-timing report.
 */
export default defineConfig({
  root: "client",
  publicDir: false,
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  plugins: [tfjsWasmThreads()],
  // `vite` / `vite preview` isolate the pages as our server does (threaded wasm, shared-memory Stop).
  server: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
  preview: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
  worker: { format: "es", plugins: () => [tfjsWasmThreads()] },
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
});
