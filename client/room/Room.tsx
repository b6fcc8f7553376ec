/**
 * The attendee room (`/room/<sid>`): the host's feed, the tasks, the shared editor, Run/Stop with
 * streamed output, checks, the attendee's own metrics and plots, connection state, raise hand;
 * laid out by stage (room/stage-view.ts: Exposition folds the editor, Review and the host's lock
 * make it read-only), as tabs on a phone (room/PaneTabs.tsx), and given over to the host's
 * presentation while following it. "History" (Alt+H) opens the attendee's own history of the task
 * (room/HistoryPanel.tsx), where a kept version can be restored.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, ApiError, type Me, type PublicTask } from "../api.js";
import { navigate } from "../navigate.js";
import { ConnectionBadge, Countdown } from "../common/components.js";
import { forgetSeat, seatForSession, takeFreshSeat, type StoredSeat } from "../common/seat.js";
import {
  readBroadcasts,
  EMPTY_META,
  readMeta,
  readPairs,
  readRoster,
  sessionDoc,
  workspaceFiles,
} from "../../contract/session-doc.js";
import { sessionDocName, workspaceDocName } from "../../contract/doc-names.js";
import { worstState, type DocConnection } from "../common/sync.js";
import { useDocConnection } from "../common/use-doc-connection.js";
import { participantColour, useConnectionState, useY } from "../common/use-yjs.js";
import type { EditorView } from "@codemirror/view";
import { collaboration } from "../editor/collaboration.js";
import { goToLine, insertCode } from "../editor/commands.js";
import { completions } from "../editor/completions.js";
import { errorLine, markErrorLine } from "../editor/error-line.js";
import { readOnly, setReadOnly } from "../editor/read-only.js";
import { runKey } from "../editor/run-key.js";
import { createEditor } from "../editor/setup.js";
import { Feed } from "./Feed.js";
import { Checks, Console, Plots, RunError } from "../common/Output.js";
import { LiveMetrics } from "./LiveMetrics.js";
import { Tasks } from "./Tasks.js";
import { Hints } from "./Hints.js";
import { AskQuestion } from "./AskQuestion.js";
import { PairStatus } from "./PairStatus.js";
import { PaneTabs, type RoomPane } from "./PaneTabs.js";
import { HistoryPanel, useHistoryKey } from "./HistoryPanel.js";
import { PresentFollower } from "./PresentFollower.js";
import { usePresentation } from "./use-presentation.js";
import { roomAcceleration } from "../run/accelerate.js";
import { roomCensus } from "../run/census.js";
import type { DoneEvent } from "../../sandbox/runner/runner.js";
import { stageView } from "./stage-view.js";
import { Announcer, useAnnouncements } from "./use-announcements.js";
import { sandboxRunner } from "../run/sandbox.js";
import {
  applyEvent,
  emptyOutcome,
  errorInAttendeeCode,
  reportFor,
  runRequestFor,
  type RunOutcome,
} from "../run/report.js";
import { completionsFor } from "../run/completions.js";
import { ReportQueue } from "../run/report-queue.js";

/** Presence `activeAt` is refreshed at most this often while the attendee types. */
const ACTIVITY_THROTTLE_MS = 10_000;

type Loaded = { seat: StoredSeat; me: Me; tasks: PublicTask[] };

export function Room({ sessionId }: { sessionId: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const seat = seatForSession(localStorage, sessionId);
    if (!seat) {
      setProblem(
        "This browser has not joined this session. Open the join link from the host to take a seat.",
      );
      return;
    }
    const me: Promise<Me> = takeFreshSeat(sessionId)
      ? Promise.resolve({
          sessionId,
          participantId: seat.participantId,
          workspaceId: seat.workspaceId,
          name: seat.name,
        })
      : api.me(sessionId, seat.token);
    Promise.all([me, api.tasks(sessionId, seat.token)]).then(
      ([me, { tasks }]) => {
        performance.mark("room:seat");
        setLoaded({ seat, me, tasks });
      },
      (error: unknown) => {
        if (
          error instanceof ApiError &&
          (error.status === 401 || error.status === 403 || error.status === 404)
        ) {
          forgetSeat(localStorage, sessionId);
          navigate(`/join/${encodeURIComponent(seat.joinCode)}?expired=1`, { replace: true });
          return;
        }
        setProblem(error instanceof Error ? error.message : String(error));
      },
    );
  }, [sessionId]);

  if (problem)
    return (
      <main class="page narrow">
        <h1>Scratchroom</h1>
        <p role="alert">{problem}</p>
      </main>
    );
  if (!loaded)
    return (
      <main class="page narrow">
        <p role="status">Opening the room…</p>
      </main>
    );
  return <RoomView {...loaded} />;
}

function RoomView({ seat, me, tasks }: Loaded) {
  const session = useDocConnection(sessionDocName(me.sessionId), seat.token);
  // Pairing and unpairing move the attendee to another workspace: follow the roster entry.
  const roster = useY(sessionDoc.roster(session.doc), readRoster, new Map());
  const pairs = useY(sessionDoc.pairs(session.doc), readPairs, new Map());
  const workspaceId = roster.get(me.participantId)?.workspaceId || me.workspaceId;
  const workspace = useDocConnection(workspaceDocName(me.sessionId, workspaceId), seat.token);
  useEffect(() => {
    void workspace.synced.then(() => performance.mark("room:synced"));
  }, [workspace]);
  const sessionState = useConnectionState(session);
  const workspaceState = useConnectionState(workspace);
  const connection = worstState([sessionState, workspaceState]);

  const meta = useY(sessionDoc.meta(session.doc), readMeta, EMPTY_META);
  const broadcasts = useY(sessionDoc.broadcasts(session.doc), readBroadcasts, []);
  const files = workspaceFiles(workspace.doc);
  const fileIds = useY(files, (m) => [...m.keys()].sort().join("\n"), "");

  const [selectedTaskId, setSelectedTaskId] = useState<string | null>(meta.taskId ?? tasks[0]?.id ?? null);
  // Follow the host when they move the room to another task.
  useEffect(() => {
    if (meta.taskId) setSelectedTaskId(meta.taskId);
  }, [meta.taskId]);
  const task = tasks.find((t) => t.id === selectedTaskId) ?? null;
  const ytext = useMemo(() => {
    const value = task ? files.get(task.id) : undefined;
    return value && typeof value === "object" && "insert" in value ? value : null;
  }, [task, files, fileIds]);

  // Exposition folds the editor away until the attendee opens it (kept across a reload of this
  // tab); the host moving the room into Exposition again folds it anew.
  const openedKey = `scratchroom:editor-opened:${me.sessionId}`;
  const [editorOpened, setOpened] = useState(() => sessionStorage.getItem(openedKey) === "1");
  const setEditorOpened = useCallback(
    (opened: boolean) => {
      if (opened) sessionStorage.setItem(openedKey, "1");
      else sessionStorage.removeItem(openedKey);
      setOpened(opened);
    },
    [openedKey],
  );
  const previousStage = useRef(meta.stage);
  useEffect(() => {
    if (meta.stage === "exposition" && previousStage.current !== "exposition") setEditorOpened(false);
    previousStage.current = meta.stage;
  }, [meta.stage, setEditorOpened]);
  const view = stageView(meta.stage, meta.locked, editorOpened);

  // On a phone one view at a time (room/PaneTabs.tsx); the task first.
  const [pane, setPane] = useState<RoomPane>("task");
  const [hand, setHand] = useState(false);
  const colour = useMemo(() => participantColour(me.participantId), [me.participantId]);
  usePresence(session, workspace, me, colour, selectedTaskId, hand);

  const editor = useRef<EditorView | null>(null);
  const editorHost = useRef<HTMLDivElement>(null);
  const presentation = usePresentation(
    session,
    useCallback(() => editor.current?.focus(), []),
  );
  const [outcome, setOutcome] = useState<RunOutcome | null>(null);
  const [runProblem, setRunProblem] = useState<string | null>(null);
  const [reportProblem, setReportProblem] = useState<string | null>(null);
  const reports = useMemo(
    () => new ReportQueue((report) => api.reportRun(me.sessionId, seat.token, report), setReportProblem),
    [me.sessionId, seat.token],
  );
  // Reports kept while offline go out when the connection is back, or on the next retry tick.
  useEffect(() => {
    const retry = () => void reports.flush();
    window.addEventListener("online", retry);
    const timer = setInterval(() => reports.size > 0 && retry(), 5000);
    return () => {
      window.removeEventListener("online", retry);
      clearInterval(timer);
    };
  }, [reports]);
  // The attendee's own history panel; `stored` counts runs the server stored (each a new version).
  const [historyOpen, setHistoryOpen] = useState(false);
  const [stored, setStored] = useState(0);
  const historyButton = useRef<HTMLButtonElement>(null);
  useHistoryKey(useCallback(() => setHistoryOpen((open) => !open), []));
  const closeHistory = () => {
    setHistoryOpen(false);
    historyButton.current?.focus();
  };
  const abort = useRef<AbortController | null>(null);
  const runRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (!ytext || !editorHost.current) return;
    const instance = createEditor(editorHost.current, {
      doc: ytext.toString(),
      label: `Code for ${task?.title ?? "the task"}`,
      extensions: [
        runKey(() => runRef.current()),
        collaboration(ytext, workspace.provider.awareness),
        errorLine,
        readOnly(view.readOnly),
        completions(completionsFor(task?.packModules)),
      ],
    });
    editor.current = instance;
    // Marks for bench/client.ts: when the room could first be typed in.
    performance.mark("room:editor");
    // Start the sandbox worker once the editor is up (not before: compiling QuickJS and starting
    // tfjs would compete with opening the room), so the first Run is quick.
    const warm = setTimeout(() => void sandboxRunner().catch(() => undefined), 0);
    return () => {
      clearTimeout(warm);
      instance.destroy();
      editor.current = null;
    };
    // view.readOnly is applied by the effect below without rebuilding the editor.
  }, [ytext, workspace]);
  useEffect(() => {
    if (editor.current) setReadOnly(editor.current, view.readOnly);
  }, [view.readOnly, ytext]);

  const run = useCallback(async () => {
    if (!task || !ytext || abort.current) return;
    const controller = new AbortController();
    abort.current = controller;
    setRunProblem(null);
    if (editor.current) markErrorLine(editor.current, null);
    let current = emptyOutcome();
    setOutcome(current);
    let frame = 0;
    let done: DoneEvent | undefined;
    const flush = () => {
      frame = 0;
      setOutcome(current);
    };
    try {
      const runner = await sandboxRunner();
      const request = runRequestFor(task, ytext.toString());
      const asked = roomAcceleration.choose(task.id, task.accelerate);
      if (asked) request.accelerate = asked;
      done = await runner.run(
        request,
        (event) => {
          current = applyEvent(current, event);
          // The first line shows at once; later ones are batched per frame.
          if (current.console.length === 1 && event.type === "console") flush();
          else if (!frame) frame = requestAnimationFrame(flush);
        },
        { signal: controller.signal },
      );
      roomAcceleration.record(task.id, asked, done);
    } catch (error) {
      if (!controller.signal.aborted) setRunProblem(error instanceof Error ? error.message : String(error));
    } finally {
      if (frame) cancelAnimationFrame(frame);
      if (current.running) current = { ...current, running: false };
      setOutcome(current);
      abort.current = null;
    }
    if (current.error && errorInAttendeeCode(current.error))
      if (editor.current) markErrorLine(editor.current, current.error.line ?? null);
    if (current.status) {
      const report = reportFor(task.id, current);
      const device = roomCensus.record(done, current);
      if (device) report.device = device;
      void reports.push(report).then(() => setStored((n) => n + 1));
    }
  }, [task, ytext, reports]);
  runRef.current = () => void run();
  const stop = () => abort.current?.abort();

  const insert = useMemo(
    () => ({
      label: "Insert into my editor",
      run: (code: string) => {
        setEditorOpened(true);
        if (editor.current) insertCode(editor.current, code);
      },
      disabled: view.readOnly || !ytext,
    }),
    [view.readOnly, ytext, setEditorOpened],
  );

  const running = outcome?.running === true;
  const announcements = useAnnouncements({
    synced: session.synced,
    stage: meta.stage,
    broadcasts,
    outcome,
    editor,
  });
  return (
    <div class="room" data-stage={meta.stage} data-editor={view.editorCollapsed ? "collapsed" : "open"}>
      <header class="topbar">
        <h1 class="title">{meta.title || "Scratchroom"}</h1>
        <span class="stage" aria-label="Stage">
          {meta.stage}
        </span>
        <Countdown endsAt={meta.timerEndsAt} />
        <ConnectionBadge state={connection} />
        <span class="spacer" />
        <span class="me" style={{ borderColor: colour.color }}>
          {me.name}
        </span>
        <button
          type="button"
          class={hand ? "hand hand-up" : "hand"}
          aria-pressed={hand}
          onClick={() => setHand(!hand)}
        >
          {hand ? "Lower hand" : "Raise hand"}
        </button>
      </header>
      <Announcer messages={announcements} />
      <PairStatus participantId={me.participantId} pairs={pairs} names={roster} />
      {view.banner && (
        <p class="banner" role="status">
          {view.banner}
        </p>
      )}
      <PresentFollower presentation={presentation} awareness={session.provider.awareness} tasks={tasks} />
      {/* While following a presentation it takes the whole window (a projector); the room stays
          mounted underneath, the attendee's editor untouched. */}
      <PaneTabs pane={pane} onSelect={setPane} />
      <div class="room-grid" hidden={presentation.following} data-pane={pane}>
        <aside class="side" id="room-task">
          <Feed broadcasts={broadcasts} codeAction={insert} />
          <Tasks
            tasks={tasks}
            currentTaskId={meta.taskId}
            selectedTaskId={selectedTaskId}
            onSelect={setSelectedTaskId}
          />
          <Hints
            sessionId={me.sessionId}
            token={seat.token}
            participantId={me.participantId}
            taskId={selectedTaskId}
            reveals={sessionDoc.reveals(session.doc)}
          />
          <AskQuestion sessionId={me.sessionId} token={seat.token} />
        </aside>
        <main class="work" id="room-code">
          {view.editorCollapsed && (
            <div class="editor-collapsed">
              <p class="muted">The host is explaining: the notes come first.</p>
              <button type="button" class="primary" onClick={() => setEditorOpened(true)}>
                Open the editor
              </button>
            </div>
          )}
          <div class="toolbar">
            <button
              type="button"
              class="primary"
              onClick={() => void run()}
              disabled={running || !ytext}
              aria-keyshortcuts="Control+Enter Meta+Enter"
            >
              Run <kbd>Ctrl+Enter</kbd>
            </button>
            <button type="button" onClick={stop} disabled={!running}>
              Stop
            </button>
            <button
              type="button"
              ref={historyButton}
              aria-pressed={historyOpen}
              aria-keyshortcuts="Alt+H"
              onClick={() => setHistoryOpen(!historyOpen)}
              disabled={!task}
            >
              History <kbd>Alt+H</kbd>
            </button>
            {running && <span role="status">Running…</span>}
            {outcome && !running && outcome.durationMs !== undefined && (
              <span class="muted">
                {outcome.status === "ok" ? "Finished" : "Stopped with an error"} in{" "}
                {Math.round(outcome.durationMs)} ms
              </span>
            )}
          </div>
          <div class="editor" ref={editorHost} data-locked={String(view.readOnly)}>
            {!ytext && <p class="muted">{task ? "Loading your code…" : "Pick a task."}</p>}
          </div>
          {historyOpen && task && (
            <HistoryPanel
              sessionId={me.sessionId}
              token={seat.token}
              workspaceId={workspaceId}
              task={task}
              ytext={ytext}
              reloadKey={stored}
              onClose={closeHistory}
            />
          )}
          {reportProblem && (
            <p class="muted" role="status">
              {reportProblem}
            </p>
          )}
          {runProblem && (
            <p class="run-error" role="alert">
              {runProblem}
            </p>
          )}
          <RunError
            outcome={outcome}
            onGoToLine={(line) => editor.current && goToLine(editor.current, line)}
          />
          <Console outcome={outcome} />
        </main>
        <aside class="results" id="room-output">
          <Checks outcome={outcome} />
          <LiveMetrics outcome={outcome} />
          <Plots outcome={outcome} />
        </aside>
      </div>
    </div>
  );
}

/** Publishes who this attendee is, where they are and whether their hand is up. */
function usePresence(
  session: DocConnection,
  workspace: DocConnection,
  me: Me,
  colour: { color: string; colorLight: string },
  taskId: string | null,
  hand: boolean,
) {
  useEffect(() => {
    workspace.provider.awareness.setLocalStateField("user", { name: me.name, ...colour });
    workspace.provider.awareness.setLocalStateField("participantId", me.participantId);
    session.provider.awareness.setLocalStateField("user", { name: me.name, ...colour });
    session.provider.awareness.setLocalStateField("participantId", me.participantId);
    session.provider.awareness.setLocalStateField("activeAt", Date.now());
  }, [session, workspace, me, colour]);
  useEffect(() => {
    workspace.provider.awareness.setLocalStateField("taskId", taskId);
    session.provider.awareness.setLocalStateField("taskId", taskId);
  }, [session, workspace, taskId]);
  useEffect(() => {
    workspace.provider.awareness.setLocalStateField("hand", hand);
    session.provider.awareness.setLocalStateField("hand", hand);
  }, [session, workspace, hand]);
  useEffect(() => {
    let last = Date.now();
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin === workspace.provider) return; // remote, not this attendee's activity
      const now = Date.now();
      if (now - last < ACTIVITY_THROTTLE_MS) return;
      last = now;
      session.provider.awareness.setLocalStateField("activeAt", now);
    };
    workspace.doc.on("update", onUpdate);
    return () => workspace.doc.off("update", onUpdate);
  }, [session, workspace]);
}
