/**
 * Runs the real `scratchroom` command (bin/scratchroom.js, from the sources beside it) in a child
 * process, for tests of the CLI as a host types it.
 */
import { execFile } from "node:child_process";

export const bin = new URL("../../../bin/scratchroom.js", import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `scratchroom ...args` in `cwd`; SCRATCHROOM_SOURCE=1 unless `env` says otherwise. */
export function cli(
  args: string[],
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    timeoutMs?: number;
    script?: string;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [options.script ?? bin, ...args],
      {
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 120_000,
        env: { ...process.env, SCRATCHROOM_SOURCE: "1", ...options.env },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
