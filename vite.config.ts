import { defineConfig } from "vite";

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
  worker: { format: "es" },
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
});
