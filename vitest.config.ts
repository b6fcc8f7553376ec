import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const scratchGuest = fileURLToPath(new URL("./sandbox/scratch/guest/", import.meta.url));

export default defineConfig({
  // The scratch library's guest modules import each other as "scratch/…" (their sandbox names).
  resolve: {
    alias: [
      { find: /^scratch$/, replacement: `${scratchGuest}index.js` },
      { find: /^scratch\/(.+)$/, replacement: `${scratchGuest}$1.js` },
    ],
  },
  test: {
    include: [
      "contract/**/*.test.ts",
      "server/**/*.test.ts",
      "sandbox/**/*.test.ts",
      "sessions/**/*.test.ts",
      "client/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    exclude: ["node_modules/**", "dist/**"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
