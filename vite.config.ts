import { defineConfig } from "vite";
import { tfjsWasmThreads } from "./sandbox/scratch/kernels/wasm-threads-plugin.js";
import { CROSS_ORIGIN_ISOLATION_HEADERS } from "./server/isolation.js";

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
  // `vite` / `vite preview` isolate the pages as our server does (threaded wasm, shared-memory Stop).
  server: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
  preview: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
  worker: { format: "es", plugins: () => [tfjsWasmThreads()] },
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
});
