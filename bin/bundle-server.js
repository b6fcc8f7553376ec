#!/usr/bin/env node
// Bundles the server's main thread into a few minified ES modules with esbuild (`npm run build`
// runs it after tsc; bench/sync-server.ts runs it on the sources it measures).
//
// Why: the main isolate keeps every loaded module's source text and its module record for the
// life of the process. Unbundled, the server loads ~270 modules at startup (95 of them zod's,
// including its 64 locales and JSON-schema code the server never calls); bundled, tree-shaken and
// minified it keeps ~5 MB less heap and ~14 MB less RSS at idle (docs/benchmarks.md, "The main
// isolate's heap").
//
// Only the main thread is bundled. The workers and child processes it starts (the SQLite storage's
// checkpoint and merge jobs, the packs' loader, the sandbox runners) are started by file from the tsc build beside it
// (or from the sources); so every `import.meta.url` / `dirname` / `filename` in our sources is
// rewritten to the file it was compiled from, and the paths those modules compute stay the same.
//
//   node bin/bundle-server.js                   dist/bundle/ from server/cli.ts, paths into dist/
//   node bin/bundle-server.js --bench <outdir>  <outdir>/server.js exporting loadConfig,
//                                               createLogger and startServer, paths into the sources
import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Packages left to node_modules: native addons, packages that start workers or load files by path
 * (pino's transports, the sandbox's QuickJS and tfjs), and ones loaded only on a rare path.
 */
export const EXTERNAL = [
  "better-sqlite3",
  "esbuild",
  "tsx",
  "pg",
  "ioredis",
  "pino",
  "thread-stream",
  "katex",
  "sucrase",
  "quickjs-emscripten",
  "@jitl/*",
  "@tensorflow/*",
];

/** Defines `require` (for bundled CommonJS packages) and the helpers the path rewrite uses. */
export const BANNER = [
  'import { createRequire as __bundleCreateRequire } from "node:module";',
  'import { fileURLToPath as __bundleFileURLToPath } from "node:url";',
  'import { dirname as __bundleDirname } from "node:path";',
  "const require = __bundleCreateRequire(import.meta.url);",
].join("\n");

/**
 * The esbuild options every server bundle shares (the production bundle, the bench's plain-node
 * server script): one ES module for Node 20, split so lazily imported modules stay their own
 * chunks, with `BANNER` on top.
 */
export const NODE_ESM_BUNDLE = {
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  banner: { js: BANNER },
};

/**
 * An esbuild plugin replacing `import.meta.url`, `.filename` and `.dirname` in our own sources
 * (not node_modules) with those of the file each source stands for: `fileOf(sourcePath)` gives
 * an expression for that file's URL.
 */
export function importMetaOfSource(root, urlOf) {
  return {
    name: "import-meta-of-source",
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`) || !args.path.startsWith(root + sep))
          return undefined;
        const url = urlOf(args.path);
        const contents = readFileSync(args.path, "utf8")
          .replace(/\bimport\.meta\.url\b/g, `(${url})`)
          .replace(/\bimport\.meta\.filename\b/g, `__bundleFileURLToPath(${url})`)
          .replace(/\bimport\.meta\.dirname\b/g, `__bundleDirname(__bundleFileURLToPath(${url}))`);
        return { contents, loader: "ts" };
      });
    },
  };
}

/**
 * An esbuild plugin leaving out zod's translations of its error messages (`z.locales`, 64 modules,
 * 261 KB of the bundle, more than half of zod's part): the server keeps zod's default English
 * messages and never calls `z.locales.*`. Tree-shaking cannot drop them, since `import { z }`
 * takes zod's whole namespace object.
 */
const withoutZodLocales = {
  name: "without-zod-locales",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic[\\/]external|core[\\/]index)\.js$/.test(args.importer)
        ? { path: "zod-locales", namespace: "without-zod-locales" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "without-zod-locales" }, () => ({
      contents: "export {};",
      loader: "js",
    }));
  },
};

/**
 * Bundles `entry` (a .ts file under `root`) into `outdir` as `<name>.js` plus shared and
 * lazily-imported chunks. `metaFrom` "build": each source's `import.meta.url` becomes its file in
 * `root/dist/` (relative to the bundle, so the image can move); "sources": the .ts file itself.
 */
export async function bundleServer({ root, entry, name, outdir, metaFrom }) {
  const esbuild = createRequire(join(root, "package.json"))("esbuild");
  const urlOf = (source) => {
    if (metaFrom === "sources") return JSON.stringify(pathToFileURL(source).href);
    const built = join(root, "dist", relative(root, source)).replace(/\.ts$/, ".js");
    const fromBundle = relative(outdir, built).split(sep).join("/");
    return `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
  };
  await esbuild.build({
    entryPoints: { [name]: entry },
    outdir,
    ...NODE_ESM_BUNDLE,
    minify: true,
    // With node --enable-source-maps, stack traces name the sources through the map; without it
    // node does not read the map. The bench's bundle has none: its servers run under tsx by
    // default, which turns source maps on, and the map (1.4 MB) would then sit in the heap as it
    // never does in production.
    sourcemap: metaFrom === "build",
    external: EXTERNAL,
    plugins: [importMetaOfSource(root, urlOf), withoutZodLocales],
    logLevel: "warning",
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const bench = process.argv.indexOf("--bench");
  if (bench >= 0) {
    // The bench's entry: what bench/sync-server.ts takes from server/ (config, logger, main).
    const from = resolve(process.argv[bench + 2] ?? root);
    const outdir = resolve(process.argv[bench + 1]);
    const entry = join(outdir, "entry.ts");
    const { writeFileSync, mkdirSync } = await import("node:fs");
    mkdirSync(outdir, { recursive: true });
    writeFileSync(
      entry,
      [
        ["loadConfig, DEFAULT_LIMITS", "config"],
        ["createLogger", "logger"],
        ["startServer", "main"],
      ]
        .map(([names, m]) => `export { ${names} } from ${JSON.stringify(join(from, "server", `${m}.ts`))};`)
        .join("\n"),
    );
    await bundleServer({ root: from, entry, name: "server", outdir, metaFrom: "sources" });
  } else {
    // A fresh directory: chunk names carry a hash of their content, so old ones would pile up.
    rmSync(join(root, "dist", "bundle"), { recursive: true, force: true });
    await bundleServer({
      root,
      entry: join(root, "server", "cli.ts"),
      name: "cli",
      outdir: join(root, "dist", "bundle"),
      metaFrom: "build",
    });
  }
}
