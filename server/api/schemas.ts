/**
 * Request bodies of the HTTP API (design.md §3), validated with zod.
 */
import { z } from "zod";
import { REPORT_OUTPUT, type RunReport } from "../../sandbox/events.js";

/** A participant's display name: trimmed, 1–60 characters, no control characters. */
const displayName = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, "name is empty")
      .max(60, "name is longer than 60 characters")
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u001f\u007f]*$/, "name contains control characters"),
  );

export const createSessionBody = z.strictObject({
  pack: z.string().min(1).max(64),
  title: z.string().trim().min(1).max(200).optional(),
});

export const joinBody = z.strictObject({
  joinCode: z.string().min(1).max(32),
  name: displayName,
});

/**
 * Attendee text made storable anywhere: NUL and unpaired surrogates (which PostgreSQL's JSONB
 * refuses) become U+FFFD. Everything else, HTML included, is kept as written: clients show it as text.
 */
export function storableText(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );
}

const checkResult = z.object({
  name: z.string().max(200).transform(storableText),
  passed: z.boolean(),
  message: z.string().max(2000).transform(storableText).optional(),
  hint: z.string().max(2000).transform(storableText).optional(),
  hidden: z.boolean().optional(),
});

const outputLine = z.strictObject({
  level: z.enum(["log", "info", "warn", "error"]),
  text: z
    .string()
    .max(REPORT_OUTPUT.lineChars, `output lines are at most ${REPORT_OUTPUT.lineChars} characters`),
});

/** A run's last console lines (sandbox/events.ts REPORT_OUTPUT): 50 lines, 500 characters each, 8 KB. */
const reportOutput = z
  .array(outputLine)
  .max(REPORT_OUTPUT.lines, `output has at most ${REPORT_OUTPUT.lines} lines`)
  .refine(
    (lines) => lines.reduce((n, l) => n + Buffer.byteLength(l.text, "utf8"), 0) <= REPORT_OUTPUT.totalBytes,
    `output is at most ${REPORT_OUTPUT.totalBytes} bytes of text`,
  )
  .transform((lines) => lines.map((l) => ({ level: l.level, text: storableText(l.text) })));

const runErrorKind = z.enum(["syntax", "runtime", "limit", "import", "internal"]);
const limitName = z.enum(["time", "memory", "stack", "jobs", "output", "tensors"]);

/** The device census a room attaches to its run reports (client/run/census.ts). */
const deviceCensus = z.strictObject({
  backend: z.enum(["wasm", "webgpu", "webgl", "cpu"]),
  simd: z.boolean(),
  threads: z.number().int().min(1).max(1024),
  crossOriginIsolated: z.boolean(),
  msPerStep: z.number().nonnegative().max(3_600_000).optional(),
});

/** Builds the run-report schema; metric series longer than `maxPoints` are thinned to that many. */
export function runReportBody(maxPoints: number): z.ZodType<RunReport> {
  return z.strictObject({
    taskId: z.string().min(1).max(64),
    status: z.enum(["ok", "error"]),
    checks: z.array(checkResult).max(200),
    metrics: z
      .record(z.string().min(1).max(64), z.array(z.number()).max(1_000_000))
      .refine((m) => Object.keys(m).length <= 20, "at most 20 metric series")
      .transform((m) =>
        Object.fromEntries(Object.entries(m).map(([k, v]) => [storableText(k), thin(v, maxPoints)])),
      ),
    nonFinite: z
      .record(
        z.string().min(1).max(64),
        z.strictObject({
          step: z.number(),
          value: z.enum(["NaN", "Infinity", "-Infinity"]),
        }),
      )
      .refine((m) => Object.keys(m).length <= 20, "at most 20 metric series")
      .transform((m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [storableText(k), v])))
      .optional(),
    error: z
      .strictObject({
        kind: runErrorKind,
        message: z.string().max(4000).transform(storableText),
        line: z.number().int().nonnegative().optional(),
        limit: limitName.optional(),
      })
      .optional(),
    durationMs: z
      .number()
      .nonnegative()
      .max(24 * 3600 * 1000),
    output: reportOutput.optional(),
    outputOmitted: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    device: deviceCensus.optional(),
  }) as z.ZodType<RunReport>;
}

/** Keeps at most `max` points spread evenly over the series, always including the last one. */
export function thin(series: number[], max: number): number[] {
  if (series.length <= max) return series;
  if (max <= 1) return series.slice(-max);
  const out: number[] = [];
  const step = (series.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(series[Math.round(i * step)]!);
  return out;
}

export const revealBody = z.strictObject({
  taskId: z.string().min(1).max(64),
  kind: z.enum(["hint", "solution"]),
  participantId: z.string().min(1).max(64).optional(),
});

export const hintRequestBody = z.strictObject({
  taskId: z.string().min(1).max(64),
});

/** A question: trimmed, 1–2000 characters (newlines allowed, other control characters not). */
export const questionBody = z.strictObject({
  text: z
    .string()
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .min(1, "question is empty")
        .max(2000, "question is longer than 2000 characters")
        // eslint-disable-next-line no-control-regex
        .regex(/^[^\u0000-\u0009\u000b-\u001f\u007f]*$/, "question contains control characters"),
    ),
});

const participantId = z.string().min(1).max(64);
/** Minutes between driver/navigator swap reminders; absent or null: no reminder. */
const swapEveryMinutes = z.number().int().min(1).max(240).nullable().optional();

export const pairBody = z.strictObject({
  participantIds: z.tuple([participantId, participantId]),
  swapEveryMinutes,
});

export const autoPairBody = z.strictObject({
  mode: z.enum(["random", "mixed"]),
  taskId: z.string().min(1).max(64).optional(),
  swapEveryMinutes,
});

/** A pair plan as JSON: `{pairs: [["Ada", "Grace"], …]}`, or `{text}` in the name-list format. */
export const pairPlanBody = z.union([
  z.strictObject({ pairs: z.array(z.tuple([z.string().max(200), z.string().max(200)])).max(1000) }),
  z.strictObject({ text: z.string().max(100_000) }),
]);

export const verifyBody = z.strictObject({
  workspaceId: z.string().min(1).max(64).optional(),
  taskId: z.string().min(1).max(64),
});

/** A summary share link: names shown or anonymised, valid for `days` (default 30). */
export const summaryLinkBody = z.strictObject({
  names: z.boolean().default(true),
  days: z.number().int().min(1).max(365).default(30),
});
