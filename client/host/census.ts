/**
 * The class capability map of the device census: from each room's latest run report, how many
 * rooms compute with which backend, threads and SIMD, and who is slow (ms per training step well
 * above the class median) — what a host checks before starting a heavy task. Pure, tested without
 * a browser.
 */
import type { DeviceCensus } from "../../contract/run-report.js";
import type { RunHistory, RunRecord } from "./progress.js";

/** A room is slow when its ms per step is at least this many times the class median. */
export const SLOW_FACTOR = 2;

export interface CapabilityGroup {
  /** e.g. "wasm · SIMD · 4 threads" or "wasm · no SIMD · 1 thread · not isolated". */
  label: string;
  count: number;
}

export interface SlowRoom {
  participantId: string;
  name: string;
  msPerStep: number;
  /** msPerStep over the class median. */
  times: number;
}

export interface ClassCensus {
  groups: CapabilityGroup[];
  /** Rooms whose reports carry no census yet (no run, or an older client). */
  unknown: number;
  medianMsPerStep: number | undefined;
  slow: SlowRoom[];
}

export function capabilityLabel(d: DeviceCensus): string {
  const parts = [d.backend, d.simd ? "SIMD" : "no SIMD", `${d.threads} thread${d.threads === 1 ? "" : "s"}`];
  if (!d.crossOriginIsolated) parts.push("not isolated");
  return parts.join(" · ");
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function classCensus(
  histories: ReadonlyMap<string, RunHistory>,
  names: ReadonlyMap<string, string>,
): ClassCensus {
  const counts = new Map<string, number>();
  const speeds: { participantId: string; msPerStep: number }[] = [];
  let unknown = 0;
  // Histories are kept per workspace (a pair shares one): each room's device is in the latest run
  // that room reported, found among every workspace's latest runs of each task.
  const latestByRoom = new Map<string, RunRecord>();
  for (const history of histories.values()) {
    for (const run of Object.values(history.lastByTask)) {
      const kept = latestByRoom.get(run.participantId);
      if (!kept || kept.at < run.at) latestByRoom.set(run.participantId, run);
    }
  }
  for (const participantId of names.keys()) {
    const device = latestByRoom.get(participantId)?.report.device;
    if (!device) {
      unknown++;
      continue;
    }
    const label = capabilityLabel(device);
    counts.set(label, (counts.get(label) ?? 0) + 1);
    if (device.msPerStep !== undefined) speeds.push({ participantId, msPerStep: device.msPerStep });
  }
  const medianMsPerStep = median(speeds.map((s) => s.msPerStep));
  const slow =
    medianMsPerStep === undefined || speeds.length < 2
      ? []
      : speeds
          .filter((s) => s.msPerStep >= SLOW_FACTOR * medianMsPerStep)
          .sort((a, b) => b.msPerStep - a.msPerStep)
          .map((s) => ({
            ...s,
            name: names.get(s.participantId) ?? "?",
            times: Math.round((s.msPerStep / medianMsPerStep) * 10) / 10,
          }));
  const groups = [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return { groups, unknown, medianMsPerStep, slow };
}
