/**
 * The history timeline's model: one file's kept versions as slider positions, the run markers
 * (passed, failed, error, NaN, with the first failing check and its key in the track's legend of
 * first failing checks), the keys that move along them, and the jumps to "first pass of check k"
 * and "last passing version". Pure, so it is tested in Node; the
 * view is client/history/Timeline.tsx.
 *
 * Keys (on the slider): ←/↓ one version earlier, →/↑ one later, PageUp the previous run marker,
 * PageDown the next one, Home the first version, End the latest.
 */
import type { HistoryRun, HistoryVersion } from "../../contract/history.js";

/** A run marker's look: NaN beats error beats failed; a run without checks is `ran`. */
export type MarkerKind = "nan" | "error" | "failed" | "passed" | "ran";

/** A run marker on the slider. */
export interface RunMarker {
  /** The version's index on the slider. */
  index: number;
  versionId: number;
  kind: MarkerKind;
  /** Its run's number, from 1. */
  run: number;
  /** "Run 3: failed, 1 of 2 checks passed, first failing: converges". */
  label: string;
  /** Where it sits along the track, 0 (oldest) to 1 (latest). */
  position: number;
  /** The run's first failing check, shown on the track (null: none failed). */
  firstFailing: string | null;
  /** That check's key in the legend, written on the marker: 1, 2, … in the order checks first fail. */
  legendKey: number | null;
}

/** A line of the track's legend: a check that failed first, its key, and the runs it failed first in. */
export interface FailingCheckKey {
  key: number;
  check: string;
  runs: number[];
}

/** The versions of one file, oldest first (the server sends every file's together). */
export function fileVersions(versions: readonly HistoryVersion[], file: string): HistoryVersion[] {
  return versions.filter((v) => v.file === file).sort((a, b) => a.at - b.at || a.id - b.id);
}

export function markerKind(run: HistoryRun): MarkerKind {
  if (run.nonFinite.length > 0) return "nan";
  if (run.status === "error") return "error";
  if (run.failed > 0) return "failed";
  return run.passed > 0 ? "passed" : "ran";
}

/** Whether a run passed: it finished and every check it has passed (at least one). */
export const runPassed = (run: HistoryRun | null): boolean =>
  run !== null && run.status === "ok" && run.failed === 0 && run.passed > 0;

/** What a run did, in words (a marker's label, the selected version's description). */
export function runSummary(run: HistoryRun): string {
  const parts: string[] = [];
  const total = run.passed + run.failed;
  if (run.status === "error") parts.push("stopped with an error");
  else if (total === 0) parts.push("ran, no checks");
  else if (run.failed === 0) parts.push(`passed, ${run.passed} of ${total} checks`);
  else parts.push(`failed, ${run.passed} of ${total} checks passed`);
  if (run.firstFailing !== null) parts.push(`first failing: ${run.firstFailing}`);
  if (run.nonFinite.length > 0) parts.push(`NaN in ${run.nonFinite.join(", ")}`);
  return parts.join(", ");
}

/** The run markers of a file's versions, in slider order; runs numbered from 1. */
export function runMarkers(versions: readonly HistoryVersion[]): RunMarker[] {
  const markers: RunMarker[] = [];
  const keys = new Map<string, number>();
  const last = Math.max(1, versions.length - 1);
  versions.forEach((v, index) => {
    if (!v.run) return;
    const firstFailing = v.run.firstFailing;
    if (firstFailing !== null && !keys.has(firstFailing)) keys.set(firstFailing, keys.size + 1);
    markers.push({
      index,
      versionId: v.id,
      kind: markerKind(v.run),
      run: markers.length + 1,
      label: `Run ${markers.length + 1}: ${runSummary(v.run)}`,
      position: versions.length === 1 ? 1 : index / last,
      firstFailing,
      legendKey: firstFailing === null ? null : keys.get(firstFailing)!,
    });
  });
  return markers;
}

/** The legend of the markers' keys: each first failing check once, by key, with its runs. */
export function failingLegend(markers: readonly RunMarker[]): FailingCheckKey[] {
  const legend: FailingCheckKey[] = [];
  for (const m of markers) {
    if (m.firstFailing === null || m.legendKey === null) continue;
    const line = legend[m.legendKey - 1];
    if (line) line.runs.push(m.run);
    else legend.push({ key: m.legendKey, check: m.firstFailing, runs: [m.run] });
  }
  return legend;
}

/** The index of the nearest run version before (`-1`) or after (`1`) `index`, or null. */
export function nextRun(
  versions: readonly HistoryVersion[],
  index: number,
  direction: 1 | -1,
): number | null {
  for (let i = index + direction; i >= 0 && i < versions.length; i += direction) {
    if (versions[i]!.run) return i;
  }
  return null;
}

/** Every check name the runs report, in the order they first appear. */
export function checkNames(versions: readonly HistoryVersion[]): string[] {
  const names = new Set<string>();
  for (const v of versions) for (const c of v.run?.checks ?? []) names.add(c.name);
  return [...names];
}

/** The index of the first version whose run passed check `name`, or null. */
export function firstPassOf(versions: readonly HistoryVersion[], name: string): number | null {
  const index = versions.findIndex((v) => v.run?.checks.some((c) => c.name === name && c.passed) === true);
  return index < 0 ? null : index;
}

/** The index of the latest version whose run passed every check, or null. */
export function lastPassing(versions: readonly HistoryVersion[]): number | null {
  for (let i = versions.length - 1; i >= 0; i--) if (runPassed(versions[i]!.run)) return i;
  return null;
}

/**
 * Where a key moves the slider from `index` (see the module comment), or null when the key is not
 * the slider's or leads nowhere (no run marker that way).
 */
export function stepByKey(versions: readonly HistoryVersion[], index: number, key: string): number | null {
  const last = versions.length - 1;
  if (last < 0) return null;
  switch (key) {
    case "ArrowLeft":
    case "ArrowDown":
      return Math.max(0, index - 1);
    case "ArrowRight":
    case "ArrowUp":
      return Math.min(last, index + 1);
    case "Home":
      return 0;
    case "End":
      return last;
    case "PageUp":
      return nextRun(versions, index, -1);
    case "PageDown":
      return nextRun(versions, index, 1);
    default:
      return null;
  }
}

/** The slider's spoken value: "Version 3 of 9, 14:02:10, run 2: passed, 2 of 2 checks". */
export function versionText(
  versions: readonly HistoryVersion[],
  index: number,
  time: (at: number) => string,
): string {
  const v = versions[index];
  if (!v) return "No version";
  const head = `Version ${index + 1} of ${versions.length}, ${time(v.at)}`;
  if (!v.run) return `${head}, kept while editing`;
  const runNumber = versions.slice(0, index + 1).filter((x) => x.run).length;
  return `${head}, run ${runNumber}: ${runSummary(v.run)}`;
}
