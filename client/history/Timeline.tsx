/**
 * The history timeline (issue 19): a slider over one file's kept versions with a marker per run
 * (passed, failed, error, NaN; a run with a failing check shows that check's legend key on its
 * marker, the check's name above it when hovered, focused or selected, and in the legend under the
 * track; its label names it too), the keys of
 * client/history/timeline.ts, jumps to "first pass of check k" and "last passing version", and the
 * selected version's line diff against the current code. Used by the host's follow view, the
 * summary page and the attendee's own history panel (which passes `onRestore`).
 *
 * Contract (bench/ and the browser tests rely on it): the root has class `history-timeline` and
 * `data-state` "loading" until the versions are in and the slider is drawn, then "ready"; "error"
 * with a visible message when they cannot be read. Everything from attendee code is rendered as text.
 */
import { Fragment } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { HistoryVersion } from "../../contract/history.js";
import { DiffView } from "./DiffView.js";
import { problemText, timeOfDay as time } from "./format.js";
import { RestoreButton } from "./RestoreButton.js";
import { useVersionText } from "./use-version-text.js";
import type { HistorySource } from "./source.js";
import {
  checkNames,
  failingLegend,
  fileVersions,
  firstPassOf,
  lastPassing,
  runMarkers,
  stepByKey,
  versionText,
} from "./timeline.js";
import "./timeline.css";

export interface TimelineProps {
  source: HistorySource;
  /** The file (task id) whose versions are shown. */
  file: string;
  /** The file's current text to diff against; null: against its latest kept version. */
  current: string | null;
  /** The region's name, e.g. "History of Ada's code". */
  label: string;
  /** A change reloads the versions (e.g. the id of a newer run). */
  reloadKey?: unknown;
  /** Put the focus on the slider once it is drawn. */
  autoFocus?: boolean;
  /** Offered as "Restore this version" (an attendee's own history). */
  onRestore?: (version: HistoryVersion) => Promise<void>;
}

type Loaded =
  { state: "loading" } | { state: "error"; message: string } | { state: "ready"; all: HistoryVersion[] };

export function Timeline({ source, file, current, label, reloadKey, autoFocus, onRestore }: TimelineProps) {
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let live = true;
    source.versions().then(
      (history) => live && setLoaded({ state: "ready", all: history.versions }),
      (error: unknown) => live && setLoaded({ state: "error", message: problemText(error) }),
    );
    return () => {
      live = false;
    };
  }, [source, reloadKey, reloads]);

  const versions = useMemo(
    () => (loaded.state === "ready" ? fileVersions(loaded.all, file) : []),
    [loaded, file],
  );
  // The selected version by id (null: the latest, which follows new versions as they come).
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const found = selectedId === null ? -1 : versions.findIndex((v) => v.id === selectedId);
  const index = found >= 0 ? found : versions.length - 1;
  const selected = versions[index] ?? null;
  const latest = versions.at(-1) ?? null;
  const [note, setNote] = useState<string | null>(null);
  const select = (to: number) => {
    setNote(null);
    setSelectedId(to === versions.length - 1 ? null : (versions[to]?.id ?? null));
  };

  const selectedText = useVersionText(source, selected?.id ?? null);
  const latestText = useVersionText(source, current === null ? (latest?.id ?? null) : null);
  const baseline = current ?? latestText.text;

  const slider = useRef<HTMLInputElement>(null);
  const ready = loaded.state === "ready";
  useEffect(() => {
    if (ready && autoFocus) slider.current?.focus();
  }, [ready, autoFocus]);

  const markers = useMemo(() => runMarkers(versions), [versions]);
  const legend = useMemo(() => failingLegend(markers), [markers]);
  const selectedFailing = markers.find((m) => m.index === index)?.firstFailing ?? null;
  const checks = useMemo(() => checkNames(versions), [versions]);
  const [check, setCheck] = useState("");
  const chosenCheck = checks.includes(check) ? check : (checks[0] ?? "");

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return; // the browser's and the room's shortcuts
    const to = stepByKey(versions, index, e.key);
    if (to === null && e.key !== "PageUp" && e.key !== "PageDown") return;
    e.preventDefault();
    if (to === null) setNote(`No run ${e.key === "PageUp" ? "before" : "after"} this version.`);
    else select(to);
  };
  const jump = (to: number | null, none: string) => (to === null ? setNote(none) : select(to));

  return (
    <section class="history-timeline" data-state={loaded.state} aria-label={label}>
      <div class="timeline-head">
        <h3>History</h3>
        {ready && (
          <span class="muted">
            {versions.length} version{versions.length === 1 ? "" : "s"}, {markers.length} run
            {markers.length === 1 ? "" : "s"}
          </span>
        )}
        <button type="button" class="timeline-refresh" onClick={() => setReloads((n) => n + 1)}>
          Refresh
        </button>
      </div>
      {loaded.state === "loading" && <p role="status">Loading the history…</p>}
      {loaded.state === "error" && (
        <p role="alert" class="timeline-error">
          The history could not be loaded: {loaded.message}
        </p>
      )}
      {ready && (
        <>
          <div class="timeline-track">
            <div class="timeline-markers">
              {markers.map((m) => (
                <Fragment key={m.versionId}>
                  <button
                    type="button"
                    tabIndex={-1}
                    class={m.index === index ? "run-marker selected" : "run-marker"}
                    data-kind={m.kind}
                    data-index={m.index}
                    style={{ left: `${m.position * 100}%` }}
                    aria-label={m.label}
                    title={m.label}
                    onClick={() => select(m.index)}
                  >
                    {m.legendKey !== null && <span class="marker-key">{m.legendKey}</span>}
                  </button>
                  {/* The check's name above its marker, shown while the marker is hovered, focused
                      or selected (CSS: the marker's next sibling). Outside the button, whose name
                      must contain its visible text; aria-hidden, as that name says it already. */}
                  {m.firstFailing !== null && (
                    <span
                      class="marker-check"
                      aria-hidden="true"
                      data-index={m.index}
                      data-side={m.position > 0.5 ? "end" : "start"}
                      style={{ left: `${m.position * 100}%` }}
                    >
                      {m.firstFailing}
                    </span>
                  )}
                </Fragment>
              ))}
            </div>
            <input
              ref={slider}
              type="range"
              class="timeline-slider"
              min={0}
              max={Math.max(0, versions.length - 1)}
              step={1}
              value={index}
              disabled={versions.length === 0}
              aria-label="Version"
              aria-valuetext={versionText(versions, index, time)}
              aria-keyshortcuts="ArrowLeft ArrowRight Home End PageUp PageDown"
              onInput={(e) => select(Number(e.currentTarget.value))}
              onKeyDown={onKeyDown}
            />
          </div>
          {legend.length > 0 && (
            <ul class="timeline-legend" aria-label="First failing checks">
              {legend.map((line) => (
                <li
                  key={line.check}
                  data-check={line.check}
                  class={line.check === selectedFailing ? "current" : undefined}
                >
                  <span class="marker-key">{line.key}</span> {line.check}{" "}
                  <span class="muted">
                    first failing in run{line.runs.length === 1 ? "" : "s"} {line.runs.join(", ")}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {versions.length === 0 ? (
            <p class="muted">
              No versions of this task kept yet: they are taken at each run and while editing.
            </p>
          ) : (
            <>
              <p
                class="timeline-selected"
                aria-live="polite"
                data-index={index}
                data-version-id={selected?.id}
              >
                {versionText(versions, index, time)}
              </p>
              <div class="timeline-jumps">
                {checks.length > 0 && (
                  <label class="inline">
                    Check
                    <select
                      aria-label="Check"
                      value={chosenCheck}
                      onChange={(e) => setCheck(e.currentTarget.value)}
                    >
                      {checks.map((name) => (
                        <option key={name} value={name}>
                          {name}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                {checks.length > 0 && (
                  <button
                    type="button"
                    onClick={() =>
                      jump(firstPassOf(versions, chosenCheck), `“${chosenCheck}” never passed in these runs.`)
                    }
                  >
                    First pass of this check
                  </button>
                )}
                <button
                  type="button"
                  onClick={() => jump(lastPassing(versions), "No run passed every check.")}
                >
                  Last passing version
                </button>
              </div>
              {note && (
                <p class="timeline-note" role="status">
                  {note}
                </p>
              )}
              {onRestore && selected && (
                <RestoreButton
                  version={selected}
                  unchanged={selectedText.text !== null && selectedText.text === current}
                  onRestore={async (v) => {
                    await onRestore(v);
                    setReloads((n) => n + 1);
                    // The button is disabled now (nothing left to restore): keep the focus in here.
                    slider.current?.focus();
                  }}
                />
              )}
              {selectedText.problem && (
                <p role="alert" class="timeline-error">
                  This version could not be loaded: {selectedText.problem}
                </p>
              )}
              {selectedText.text !== null && baseline !== null && (
                <DiffView
                  before={selectedText.text}
                  after={baseline}
                  caption={`From version ${index + 1} to ${current === null ? "the latest version" : "the current code"}`}
                />
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
