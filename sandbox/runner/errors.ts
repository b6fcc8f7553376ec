/**
 * Run errors: the host-side exceptions that end a run, and the translation of a guest exception
 * (as dumped from QuickJS) into a {@link RunError} with the attendee's line and column.
 */
import type { LimitName, RunError } from "../events.js";

/** A guest-facing error: its message is shown to the attendee as is. */
export class GuestError extends Error {
  constructor(
    message: string,
    readonly errorName: "TypeError" | "RangeError" | "Error" = "TypeError",
  ) {
    super(message);
  }
}

/** Thrown on the host side when a run exceeds one of its limits. */
export class RunLimitError extends Error {
  constructor(
    readonly limit: LimitName,
    message: string,
  ) {
    super(message);
    this.name = "RunLimitError";
  }
}

export const LIMIT_MESSAGES: Record<LimitName, string> = {
  time: "Time limit exceeded: the run took too long and was stopped.",
  memory: "Memory limit exceeded: the run used too much memory.",
  stack: "Stack limit exceeded: too much recursion.",
  jobs: "Promise job limit exceeded: too many pending promise jobs.",
  output: "Output limit exceeded: the run printed too much.",
  tensors: "Tensor limit exceeded: too many live tensors (free or reuse them).",
};

export function limitError(limit: LimitName, detail?: string): RunError {
  return { kind: "limit", limit, message: detail ?? LIMIT_MESSAGES[limit] };
}

/** The shape QuickJS's dump() gives for an Error (every field may be missing or hostile). */
interface DumpedError {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  fileName?: unknown;
  lineNumber?: unknown;
}

const FRAME = /\(?([^\s()]+):(\d+):(\d+)\)?\s*$/;

function text(value: unknown, max: number): string {
  const s = typeof value === "string" ? value : value === undefined ? "" : String(value);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * The first stack frame that points into one of `userModules` (the attendee's file and the check
 * modules), so library frames do not hide where the attendee's mistake is.
 */
function locate(
  stack: string,
  userModules: ReadonlySet<string>,
): { module: string; line: number; column: number } | undefined {
  let fallback: { module: string; line: number; column: number } | undefined;
  for (const frame of stack.split("\n")) {
    const m = FRAME.exec(frame.trim());
    if (!m) continue;
    const where = { module: m[1] as string, line: Number(m[2]), column: Number(m[3]) };
    if (userModules.has(where.module)) return where;
    if (!fallback && where.module !== "native" && where.module !== "<input>") fallback = where;
  }
  return fallback;
}

/**
 * Turns what the guest threw into a RunError. Stack overflow and out-of-memory become limit
 * errors; a SyntaxError becomes kind "syntax".
 */
export function guestError(dumped: unknown, userModules: ReadonlySet<string>): RunError {
  if (dumped === null || typeof dumped !== "object") {
    return { kind: "runtime", message: `Uncaught ${text(dumped, 1000)}` };
  }
  const e = dumped as DumpedError;
  const name = text(e.name, 100) || "Error";
  const message = text(e.message, 2000);
  const stack = text(e.stack, 4000);
  const where = locate(stack, userModules);
  const limit =
    message === "stack overflow"
      ? "stack"
      : name === "InternalError" && (message === "out of memory" || message === "string too long")
        ? "memory"
        : undefined;
  if (limit) {
    const error = limitError(limit);
    if (where && userModules.has(where.module)) Object.assign(error, where);
    return error;
  }
  const error: RunError = {
    kind: name === "SyntaxError" ? "syntax" : "runtime",
    message: `${name}: ${message}`,
  };
  if (where) {
    error.module = where.module;
    error.line = where.line;
    error.column = where.column;
  } else if (typeof e.fileName === "string" && typeof e.lineNumber === "number") {
    error.module = text(e.fileName, 200);
    error.line = e.lineNumber;
  }
  if (stack) error.stack = stack;
  return error;
}
