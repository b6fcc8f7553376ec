import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
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
