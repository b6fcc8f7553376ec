// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "data/**", "node_modules/**", "coverage/**", "test-results/**", "**/*.min.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        queueMicrotask: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      eqeqeq: ["error", "smart"],
    },
  },
  {
    // Session packs are teaching material: starter code deliberately leaves arguments unused.
    files: ["sessions/**/*.js", "test/e2e/packs/**/*.js"],
    rules: { "@typescript-eslint/no-unused-vars": "off", "no-unused-vars": "off" },
  },
  {
    // The scratch library's guest modules run inside QuickJS, where the host bridge is a global.
    files: ["sandbox/scratch/guest/**/*.js"],
    languageOptions: { globals: { __host: "readonly" } },
  },
);
