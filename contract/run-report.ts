/**
 * The run report: the summary a client sends after a run (POST /api/sessions/:sid/runs), stored,
 * streamed to the dashboard in `run` events and listed by `GET /progress`. One schema on its whole
 * way: the server parses the request body with it and the dashboard parses what it receives with it.
 */
import { z } from "zod";
import { id, storableString, storableText, utf8Bytes } from "./text.js";

/**
 * Caps on the console output a run report carries: enough for the host to see what an attendee's
 * last run printed, small enough that sixty reports a minute stay cheap to store and stream.
 */
export const REPORT_OUTPUT = {
  /** Most lines (the last ones of the run). */
  lines: 50,
  /** Longest line, in UTF-16 code units; longer lines are cut and end with "…". */
  lineChars: 500,
  /** Most bytes of UTF-8 text over all lines. */
  totalBytes: 8 * 1024,
} as const;

/** Most metric series a report carries. */
export const REPORT_SERIES = 20;

export const checkResultSchema = z.object({
  name: storableString(200),
  passed: z.boolean(),
  /** What went wrong, e.g. "element [2, 0]: expected 1.5, got -1.5". */
  message: storableString(2000).optional(),
  /** A likely cause, e.g. "looks like the sign is flipped". */
  hint: storableString(2000).optional(),
  hidden: z.boolean().optional(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

export const outputLevel = z.enum(["log", "info", "warn", "error"]);

/** One console line kept in a run report. Attendee text: show as text only. */
export const outputLineSchema = z.strictObject({
  level: outputLevel,
  text: z
    .string()
    .max(REPORT_OUTPUT.lineChars, `output lines are at most ${REPORT_OUTPUT.lineChars} characters`),
});
export type OutputLine = z.infer<typeof outputLineSchema>;

/** A run's last console lines: {@link REPORT_OUTPUT} lines, characters each, bytes in all. */
const reportOutput = z
  .array(outputLineSchema)
  .max(REPORT_OUTPUT.lines, `output has at most ${REPORT_OUTPUT.lines} lines`)
  .refine(
    (lines) => lines.reduce((n, l) => n + utf8Bytes(l.text), 0) <= REPORT_OUTPUT.totalBytes,
    `output is at most ${REPORT_OUTPUT.totalBytes} bytes of text`,
  )
  .transform((lines) => lines.map((l): OutputLine => ({ level: l.level, text: storableText(l.text) })));

/** How a run ended: every check and the code ran ("ok"), or the run stopped on an error. */
export const runStatus = z.enum(["ok", "error"]);
export type RunStatus = z.infer<typeof runStatus>;

export const runErrorKind = z.enum(["syntax", "runtime", "limit", "import", "internal"]);
export type RunErrorKind = z.infer<typeof runErrorKind>;
/** The run limit a `limit` error names (sandbox/events.ts RunLimits). */
export const limitName = z.enum(["time", "memory", "stack", "jobs", "output", "tensors"]);
export type LimitName = z.infer<typeof limitName>;

/** Where a metric series first went NaN or infinite. */
export const nonFiniteMetricSchema = z.strictObject({
  step: z.number(),
  value: z.enum(["NaN", "Infinity", "-Infinity"]),
});
export type NonFiniteMetric = z.infer<typeof nonFiniteMetricSchema>;

const seriesName = z.string().min(1).max(64);
const atMostSeries = <T>(m: Record<string, T>) => Object.keys(m).length <= REPORT_SERIES;
const storableKeys = <T>(m: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [storableText(k), v]));

/** Why a run stopped, as a report carries it. */
export const reportErrorSchema = z.strictObject({
  kind: runErrorKind,
  message: storableString(4000),
  /** 1-based line in the attendee's source, when known. */
  line: z.number().int().nonnegative().optional(),
  /** Set when kind is "limit". */
  limit: limitName.optional(),
});
export type ReportError = z.infer<typeof reportErrorSchema>;

/** The device census a room attaches to its run reports (client/run/census.ts). */
export const deviceCensusSchema = z.strictObject({
  /** The tfjs backend: "wasm" unless the run asked for a GPU that passed its self-test. */
  backend: z.enum(["wasm", "webgpu", "webgl", "cpu"]),
  simd: z.boolean(),
  /** XNNPACK threads of the wasm backend (1 without cross-origin isolation). */
  threads: z.number().int().min(1).max(1024),
  crossOriginIsolated: z.boolean(),
  /** Milliseconds per logged step of the room's last training run (one with ≥ 10 metric steps). */
  msPerStep: z.number().nonnegative().max(3_600_000).optional(),
});
export type DeviceCensus = z.infer<typeof deviceCensusSchema>;

export const runReportSchema = z.strictObject({
  taskId: id,
  status: runStatus,
  checks: z.array(checkResultSchema).max(200),
  /** Named metric series, e.g. { loss: [0.9, 0.7, …] } (thinned by the server to its point cap). */
  metrics: z
    .record(seriesName, z.array(z.number()).max(1_000_000))
    .refine(atMostSeries, `at most ${REPORT_SERIES} metric series`)
    .transform(storableKeys),
  /**
   * The first non-finite value of each metric series that had one (JSON cannot carry NaN, so the
   * series themselves stay finite): its step and which value it was.
   */
  nonFinite: z
    .record(seriesName, nonFiniteMetricSchema)
    .refine(atMostSeries, `at most ${REPORT_SERIES} metric series`)
    .transform(storableKeys)
    .optional(),
  /**
   * Set by the server for each series it thinned: how many values were logged (training steps
   * 0…n-1); the kept values are spread evenly over them ({@link pointSteps}). Absent: one value per step.
   */
  metricSteps: z.record(seriesName, z.number().int().nonnegative()).optional(),
  error: reportErrorSchema.optional(),
  durationMs: z
    .number()
    .nonnegative()
    .max(24 * 3600 * 1000),
  /** The run's last console lines, capped by {@link REPORT_OUTPUT}. Attendee text: show as text only. */
  output: reportOutput.optional(),
  /** Console lines of the run not in `output` (earlier ones, or dropped on screen already). */
  outputOmitted: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  /** The device census: what the room computed with, and its speed on its last training run. */
  device: deviceCensusSchema.optional(),
});
export type RunReport = z.output<typeof runReportSchema>;
/** A report's named metric series, e.g. { loss: [0.9, 0.7, …] }. */
export type MetricSeries = RunReport["metrics"];

/** The run-report schema that also thins metric series longer than `maxPoints` to that many. */
export function runReportBody(maxPoints: number) {
  return runReportSchema.transform(({ metricSteps: _claimed, ...report }): RunReport => {
    // The step counts are the server's own: only the series it thins get one.
    const steps = Object.entries(report.metrics).filter(([, v]) => v.length > maxPoints);
    return {
      ...report,
      metrics: Object.fromEntries(Object.entries(report.metrics).map(([k, v]) => [k, thin(v, maxPoints)])),
      ...(steps.length > 0 ? { metricSteps: Object.fromEntries(steps.map(([k, v]) => [k, v.length])) } : {}),
    };
  });
}

/**
 * The training step of each of `length` values kept by {@link thin} from a series of `steps`
 * logged values (0-based; without `steps`, one value per step).
 */
export function pointSteps(length: number, steps: number = length): number[] {
  if (length <= 1 || steps <= length) return Array.from({ length }, (_, i) => i);
  return Array.from({ length }, (_, i) => Math.round((i * (steps - 1)) / (length - 1)));
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
