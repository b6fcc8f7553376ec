/**
 * The start page's pack upload (docs/api.md: GET /api/packs/uploads, POST /api/packs): whether
 * this server takes uploads, sending a zip, and the server's problems as `file:line: message`.
 */
import type { PackSummary } from "../api.js";

export interface UploadPolicy {
  /** "open": anyone; "key": with the server's upload key; "off": not on this server. */
  policy: "open" | "key" | "off";
  maxBytes: number;
}

export interface UploadProblem {
  file: string;
  line?: number;
  message: string;
}

export type UploadOutcome =
  { ok: true; pack: PackSummary } | { ok: false; message: string; problems: UploadProblem[] };

export async function uploadPolicy(): Promise<UploadPolicy> {
  const response = await fetch("/api/packs/uploads", { headers: { accept: "application/json" } });
  if (!response.ok) return { policy: "off", maxBytes: 0 };
  return (await response.json()) as UploadPolicy;
}

/** `file:line: message`, as the CLI prints a pack's problems. */
export function problemLine(p: UploadProblem): string {
  return `${p.file}${p.line !== undefined ? `:${p.line}` : ""}: ${p.message}`;
}

function isProblem(value: unknown): value is UploadProblem {
  const p = value as UploadProblem | null;
  return (
    typeof p?.file === "string" &&
    typeof p.message === "string" &&
    (p.line === undefined || typeof p.line === "number")
  );
}

/** Uploads `zip`; the server checks it (loader and verify) before it answers, which can take a while. */
export async function uploadPack(zip: Blob, key?: string): Promise<UploadOutcome> {
  const headers: Record<string, string> = { "content-type": "application/zip", accept: "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  let response: Response;
  try {
    response = await fetch("/api/packs", { method: "POST", headers, body: zip });
  } catch {
    return {
      ok: false,
      message: "The server cannot be reached. Check your connection and try again.",
      problems: [],
    };
  }
  const body = (await response.json().catch(() => null)) as
    (PackSummary & { error?: undefined }) | { error?: { message?: unknown; problems?: unknown } } | null;
  if (response.ok && body && !body.error) return { ok: true, pack: body as PackSummary };
  const error = body?.error;
  return {
    ok: false,
    message: typeof error?.message === "string" ? error.message : `${response.status} ${response.statusText}`,
    problems: Array.isArray(error?.problems) ? error.problems.filter(isProblem) : [],
  };
}
