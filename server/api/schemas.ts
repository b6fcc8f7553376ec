/**
 * Request bodies of the HTTP API (design.md §3), validated with zod.
 */
import { z } from "zod";
import type { RunReport } from "../../sandbox/events.js";

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

const checkResult = z.object({
  name: z.string().max(200),
  passed: z.boolean(),
  message: z.string().max(2000).optional(),
  hint: z.string().max(2000).optional(),
  hidden: z.boolean().optional(),
});

const runErrorKind = z.enum(["syntax", "runtime", "limit", "import", "internal"]);
const limitName = z.enum(["time", "memory", "stack", "jobs", "output", "tensors"]);

/** Builds the run-report schema; metric series longer than `maxPoints` are thinned to that many. */
export function runReportBody(maxPoints: number): z.ZodType<RunReport> {
  return z.strictObject({
    taskId: z.string().min(1).max(64),
    status: z.enum(["ok", "error"]),
    checks: z.array(checkResult).max(200),
    metrics: z
      .record(z.string().min(1).max(64), z.array(z.number()).max(1_000_000))
      .refine((m) => Object.keys(m).length <= 20, "at most 20 metric series")
      .transform((m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, thin(v, maxPoints)]))),
    nonFinite: z
      .record(
        z.string().min(1).max(64),
        z.strictObject({
          step: z.number(),
          value: z.enum(["NaN", "Infinity", "-Infinity"]),
        }),
      )
      .refine((m) => Object.keys(m).length <= 20, "at most 20 metric series")
      .optional(),
    error: z
      .strictObject({
        kind: runErrorKind,
        message: z.string().max(4000),
        line: z.number().int().nonnegative().optional(),
        limit: limitName.optional(),
      })
      .optional(),
    durationMs: z
      .number()
      .nonnegative()
      .max(24 * 3600 * 1000),
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

export const verifyBody = z.strictObject({
  workspaceId: z.string().min(1).max(64).optional(),
  taskId: z.string().min(1).max(64),
});

/** A summary share link: names shown or anonymised, valid for `days` (default 30). */
export const summaryLinkBody = z.strictObject({
  names: z.boolean().default(true),
  days: z.number().int().min(1).max(365).default(30),
});
