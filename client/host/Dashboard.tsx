/**
 * The host dashboard (`/host/<sid>#key=<hostKey>`): join link, code and QR code; stage, task, timer
 * and lock controls (written to the session doc); the broadcast composer; and the live table of
 * participants fed by the roster, the attendees' presence and the `run` server-sent events.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import QRCode from "qrcode";
import { api, type HostSession } from "../api.js";
import { ConnectionBadge, Countdown, useNow, TaskOptions } from "../common/components.js";
import { hostKeyFor, hostKeyFromFragment, saveHostKey } from "../common/seat.js";
import { sessionDocName } from "../../contract/doc-names.js";
import {
  pushBroadcast,
  EMPTY_META,
  readMeta,
  readPairs,
  readRoster,
  sessionDoc,
  STAGES,
  writeMeta,
  type SessionMeta,
  type Stage,
} from "../../contract/session-doc.js";
import { useDocConnection } from "../common/use-doc-connection.js";
import { useAwarenessStates, useConnectionState, useY } from "../common/use-yjs.js";
import { ClassView } from "./ClassView.js";
import { Composer, type BroadcastDraft, type ComposerPrefill } from "./Composer.js";
import { SummaryButton } from "./SummaryButton.js";
import { ExportButtons } from "./ExportButtons.js";
import { useVerifications } from "./use-verifications.js";
import { VerifyBar, verifyColumn } from "./VerifyPanel.js";
import { ParticipantsTable } from "./ParticipantsTable.js";
import { HintsPanel } from "./HintsPanel.js";
import { QuestionsPanel } from "./QuestionsPanel.js";
import { PairingPanel } from "./PairingPanel.js";
import {
  buildRows,
  recordRun,
  type ParticipantRow,
  type Presence,
  type RosterEntry,
  type RunHistory,
} from "./progress.js";
import type { ParticipantView } from "../../contract/events.js";
import { WorkspaceViewer, type Watched } from "./WorkspaceViewer.js";
import { FollowView, type Followed } from "./FollowView.js";
import { PresentPanel } from "./PresentPanel.js";
import { DeviceCensusPanel } from "./DeviceCensusPanel.js";
import { HostSessionProvider, useHostSession } from "./host-session.js";
import { ShowWorkspace } from "./ShowWorkspace.js";
import { useSessionEvents } from "./session-events.js";
import { RUN_BATCH_MS, useRunStream } from "./use-run-stream.js";

const NO_RUNS: Readonly<Record<string, never>> = {};

export function Dashboard({ sessionId }: { sessionId: string }) {
  const [hostKey] = useState(() => {
    const fromFragment = hostKeyFromFragment(window.location.hash);
    if (fromFragment) {
      saveHostKey(localStorage, sessionId, fromFragment);
      // Keep the key out of the address bar: dashboards end up on projectors.
      history.replaceState(null, "", window.location.pathname + window.location.search);
      return fromFragment;
    }
    return hostKeyFor(localStorage, sessionId);
  });
  const [session, setSession] = useState<HostSession | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (!hostKey) return;
    api
      .session(sessionId, hostKey)
      .then(setSession, (error: unknown) =>
        setProblem(error instanceof Error ? error.message : String(error)),
      );
  }, [sessionId, hostKey]);
  const ids = useMemo(() => (hostKey ? { sessionId, hostKey } : null), [sessionId, hostKey]);

  if (!hostKey || !ids)
    return (
      <main class="page narrow">
        <h1>Host dashboard</h1>
        <p role="alert">
          This browser has no host key for this session. Open the host link you got when you created it.
        </p>
      </main>
    );
  if (problem)
    return (
      <main class="page narrow">
        <h1>Host dashboard</h1>
        <p role="alert">{problem}</p>
      </main>
    );
  if (!session)
    return (
      <main class="page narrow">
        <p role="status">Opening the dashboard…</p>
      </main>
    );
  return (
    <HostSessionProvider value={ids}>
      <DashboardView session={session} />
    </HostSessionProvider>
  );
}

function JoinCard({ joinCode, joinUrl }: { joinCode: string; joinUrl: string | undefined }) {
  // The server's link honours PUBLIC_URL (what attendees can reach); this page's origin may not.
  const link = joinUrl ?? `${window.location.origin}/join/${encodeURIComponent(joinCode)}`;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (canvas.current)
      void QRCode.toCanvas(canvas.current, link, { margin: 1, width: 176, errorCorrectionLevel: "M" });
  }, [link]);
  return (
    <section class="join-card" aria-label="How to join">
      <canvas ref={canvas} role="img" aria-label={`QR code for ${link}`} />
      <div>
        <p class="muted">Join at</p>
        <p class="join-link">
          <a href={link}>{link}</a>
        </p>
        <p class="muted">or enter the code</p>
        <p class="join-code" aria-label="Join code">
          {joinCode}
        </p>
        <button
          type="button"
          onClick={() =>
            navigator.clipboard?.writeText(link).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy link"}
        </button>
      </div>
    </section>
  );
}

function Controls({
  meta,
  tasks,
  write,
}: {
  meta: SessionMeta;
  tasks: HostSession["tasks"];
  write(fields: Partial<SessionMeta>): void;
}) {
  const [minutes, setMinutes] = useState(10);
  return (
    <section class="controls" aria-label="Session controls">
      <fieldset class="stages">
        <legend>Stage</legend>
        {STAGES.map((stage: Stage) => (
          <button
            key={stage}
            type="button"
            aria-pressed={meta.stage === stage}
            onClick={() => write({ stage })}
          >
            {stage[0]!.toUpperCase() + stage.slice(1)}
          </button>
        ))}
      </fieldset>
      <label>
        Current task
        <select value={meta.taskId ?? ""} onChange={(e) => write({ taskId: e.currentTarget.value || null })}>
          <option value="">(none)</option>
          <TaskOptions tasks={tasks} />
        </select>
      </label>
      <fieldset class="timer">
        <legend>Timer</legend>
        <label class="inline">
          Minutes
          <input
            type="number"
            min={1}
            max={180}
            value={minutes}
            onInput={(e) => setMinutes(Number(e.currentTarget.value) || 1)}
          />
        </label>
        <button type="button" onClick={() => write({ timerEndsAt: Date.now() + minutes * 60_000 })}>
          Start timer
        </button>
        {meta.timerEndsAt !== null && (
          <>
            <button
              type="button"
              onClick={() => write({ timerEndsAt: Math.max(Date.now(), meta.timerEndsAt!) + 60_000 })}
            >
              +1 min
            </button>
            <button type="button" onClick={() => write({ timerEndsAt: null })}>
              Clear timer
            </button>
          </>
        )}
        <Countdown endsAt={meta.timerEndsAt} />
      </fieldset>
      <button
        type="button"
        class={meta.locked ? "danger" : ""}
        aria-pressed={meta.locked}
        onClick={() => write({ locked: !meta.locked })}
      >
        {meta.locked ? "Unlock editing" : "Lock editing"}
      </button>
    </section>
  );
}

/** A participant the host opens (to edit) or follows (read-only). */
type Who = Pick<ParticipantRow, "participantId" | "name" | "workspaceId"> & { taskId?: string | null };
const who = (row: Who): Watched & Followed => ({
  participantId: row.participantId,
  name: row.name,
  workspaceId: row.workspaceId,
  taskId: row.taskId ?? null,
});

function DashboardView({ session }: { session: HostSession }) {
  const { sessionId, hostKey } = useHostSession();
  const connection = useDocConnection(sessionDocName(sessionId), hostKey);
  const state = useConnectionState(connection);
  const meta = useY(sessionDoc.meta(connection.doc), readMeta, EMPTY_META);
  const docRoster = useY(sessionDoc.roster(connection.doc), readRoster, new Map<string, RosterEntry>());
  const { histories, joined } = useServerEvents(sessionId, hostKey, session);
  // The session doc's roster is the source of truth; `participant` events fill in until it syncs.
  const roster = useMemo(() => new Map([...joined, ...docRoster]), [joined, docRoster]);
  const awareness = useAwarenessStates(connection.provider.awareness, RUN_BATCH_MS);
  const presence = useMemo(() => {
    const out: Presence[] = [];
    for (const s of awareness.values()) {
      if (typeof s.participantId !== "string") continue;
      const p: Presence = { participantId: s.participantId, hand: s.hand === true };
      if (typeof s.taskId === "string") p.taskId = s.taskId;
      if (typeof s.activeAt === "number") p.activeAt = s.activeAt;
      out.push(p);
    }
    return out;
  }, [awareness]);
  const now = useNow(1000);
  const pairs = useY(sessionDoc.pairs(connection.doc), readPairs, new Map());
  const rows = useMemo(() => buildRows(roster, presence, histories), [roster, presence, histories]);

  useEffect(() => {
    connection.provider.awareness.setLocalStateField("user", {
      name: "Host",
      color: "#111827",
      colorLight: "#11182733",
    });
  }, [connection]);

  const write = (fields: Partial<SessionMeta>) => writeMeta(connection.doc, fields);
  const broadcast = (draft: BroadcastDraft) => pushBroadcast(connection.doc, draft);

  const tasks = session.tasks;
  const verifications = useVerifications(sessionId, hostKey);
  // The class view shows one curve per unit (attendee or pair), named as its row.
  const names = useMemo(() => new Map(rows.map((r) => [r.workspaceId, r.name])), [rows]);
  const [prefill, setPrefill] = useState<ComposerPrefill | null>(null);
  const [watched, setWatched] = useState<Watched | null>(null);
  const [followed, setFollowed] = useState<Followed | null>(null);
  const open = useCallback((row: Who) => {
    setFollowed(null);
    setWatched(who(row));
  }, []);
  const follow = useCallback((row: Who) => {
    setWatched(null);
    setFollowed(who(row));
  }, []);
  return (
    <div class="dashboard">
      <header class="topbar">
        <h1 class="title">{meta.title || session.title || session.pack.title}</h1>
        <span class="stage">{meta.stage}</span>
        <Countdown endsAt={meta.timerEndsAt} />
        <ConnectionBadge state={state} />
        {meta.locked && <span class="badge danger">editing locked</span>}
        <ExportButtons />
        <SummaryButton />
      </header>
      <div class="dashboard-grid">
        <div class="dashboard-side">
          <Controls meta={meta} tasks={tasks} write={write} />
          <Composer exposition={session.exposition} onBroadcast={broadcast} prefill={prefill} />
          <HintsPanel tasks={tasks} taskId={meta.taskId} />
          <QuestionsPanel onBroadcast={broadcast} />
          <PairingPanel roster={roster} pairs={pairs} />
          <PresentPanel connection={connection} tasks={tasks} taskId={meta.taskId} />
          <DeviceCensusPanel histories={histories} names={names} />
          <ShowWorkspace
            sessionId={sessionId}
            hostKey={hostKey}
            connection={connection}
            roster={roster}
            tasks={tasks}
            taskId={meta.taskId}
          />
        </div>
        <div class="dashboard-main">
          {session.joinCode && <JoinCard joinCode={session.joinCode} joinUrl={session.joinUrl} />}
          <VerifyBar
            verifications={verifications}
            rows={rows}
            task={tasks.find((t) => t.id === meta.taskId)}
          />
          {/* Follow and Edit open beside the table (below it on a narrow screen), in sight. */}
          <div class={followed || watched ? "table-and-viewer open" : "table-and-viewer"}>
            <ParticipantsTable
              rows={rows}
              tasks={tasks}
              now={now}
              onOpen={open}
              onFollow={follow}
              extraColumn={verifyColumn(verifications, meta.taskId)}
            />
            {followed && (
              <FollowView
                followed={followed}
                tasks={tasks}
                lastRun={histories.get(followed.workspaceId)?.last}
                runs={histories.get(followed.workspaceId)?.lastByTask ?? NO_RUNS}
                onEdit={() => open(followed)}
                onClose={() => setFollowed(null)}
              />
            )}
            {watched && <WorkspaceViewer watched={watched} tasks={tasks} onClose={() => setWatched(null)} />}
          </div>
          <ClassView
            taskId={meta.taskId}
            tasks={tasks}
            names={names}
            onDraft={(markdown) => setPrefill((p) => ({ id: (p?.id ?? 0) + 1, markdown }))}
          />
        </div>
      </div>
    </div>
  );
}

/**
 * Run histories (the run stream) and participants announced by `participant` events.
 */
function useServerEvents(
  sessionId: string,
  hostKey: string,
  session: HostSession,
): { histories: Map<string, RunHistory>; joined: Map<string, RosterEntry> } {
  const [histories, setHistories] = useState(() => new Map<string, RunHistory>());
  const [joined, setJoined] = useState(
    () =>
      new Map<string, RosterEntry>(
        session.participants.map(({ participantId, ...entry }) => [participantId, entry]),
      ),
  );
  useRunStream(sessionId, hostKey, (batch) => setHistories((h) => batch.reduce(recordRun, h)));
  const onJoined = useRef(({ data: { participantId, ...entry } }: { data: ParticipantView }) =>
    setJoined((j) => new Map(j).set(participantId, entry)),
  );
  useSessionEvents(sessionId, hostKey, ["participant"], onJoined.current);
  return { histories, joined };
}
