// Types of bin/bundle-server.js, a plain ES module the TypeScript code imports (the bench, tests).
import type { BuildOptions, Plugin } from "esbuild";

export declare const EXTERNAL: string[];
export declare const BANNER: string;
export declare const NODE_ESM_BUNDLE: BuildOptions;
export declare function importMetaOfSource(root: string, urlOf: (source: string) => string): Plugin;
export declare function bundleServer(options: {
  root: string;
  entry: string;
  name: string;
  outdir: string;
  metaFrom: "build" | "sources";
}): Promise<void>;
