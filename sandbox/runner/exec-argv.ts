/**
 * Node flags for a built (plain JavaScript) runner worker: the parent's flags minus tsx's loader.
 *
 * A worker inherits its parent's `execArgv`. When the parent runs under tsx (tests, benchmarks,
 * `npm run dev`) that includes tsx's `--require`/`--import` hooks, which a built worker does not
 * need and which more than double its cold start.
 */
const LOADER_FLAG = /^--(require|import|loader|experimental-loader)(=|$)/;

export function plainWorkerExecArgv(parentArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < parentArgv.length; i++) {
    const flag = parentArgv[i]!;
    const inline = flag.includes("=");
    const value = inline ? flag.slice(flag.indexOf("=") + 1) : parentArgv[i + 1];
    if (LOADER_FLAG.test(flag) && value !== undefined && /[/\\@]?tsx([/\\]|$)/.test(value)) {
      if (!inline) i++;
      continue;
    }
    kept.push(flag);
  }
  return kept;
}
