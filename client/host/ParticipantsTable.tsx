/**
 * The live participants table: sortable columns, a "stuck" filter, one row per unit (an attendee,
 * or a pair named "Ada & Bob" with its shared workspace's runs and one verification).
 */
import type { ComponentChild } from "preact";
import { memo } from "preact/compat";
import { useMemo, useState } from "preact/hooks";
import type { PublicTask } from "../api.js";
import {
  formatIdle,
  sparklinePoints,
  idleMs,
  isFailing,
  isStuck,
  sortRows,
  type ParticipantRow,
  type SortDirection,
  type SortKey,
} from "./progress.js";

/** A task's short label in the "Checks passed" cells and their legend: "T1", "T2"… */
export const taskTag = (index: number): string => `T${index + 1}`;

export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const w = 96;
  const h = 24;
  const points = sparklinePoints(values, w, h);
  if (points === null) return <span class="muted">—</span>;
  return (
    <svg class="sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}

/** A column another panel adds (e.g. verification); `key` changes whenever the cell must re-render. */
export interface ExtraColumn {
  label: string;
  cell(row: ParticipantRow): { key: string; node: ComponentChild };
}

interface RowProps {
  onOpen?: ((row: ParticipantRow) => void) | undefined;
  onFollow?: ((row: ParticipantRow) => void) | undefined;
  extra?: { key: string; node: ComponentChild } | undefined;
  row: ParticipantRow;
  tasks: PublicTask[];
  taskTitle: string;
  idle: string;
  stuck: boolean;
}

/** Rows are rebuilt on every change in the room; a row re-renders only when what it shows changed. */
function sameRow(a: RowProps, b: RowProps): boolean {
  const x = a.row;
  const y = b.row;
  return (
    a.tasks === b.tasks &&
    a.onOpen === b.onOpen &&
    a.onFollow === b.onFollow &&
    a.taskTitle === b.taskTitle &&
    a.idle === b.idle &&
    a.stuck === b.stuck &&
    a.extra?.key === b.extra?.key &&
    x.name === y.name &&
    x.online === y.online &&
    x.hand === y.hand &&
    x.byTask === y.byTask &&
    x.last?.at === y.last?.at &&
    x.last?.taskId === y.last?.taskId
  );
}

const Row = memo(function Row({ row, tasks, taskTitle, idle, stuck, onOpen, onFollow, extra }: RowProps) {
  const failing = isFailing(row);
  return (
    <tr data-participant={row.participantId} class={stuck ? "stuck" : ""}>
      <th scope="row" class="name">
        <span
          class={row.online ? "dot online" : "dot"}
          role="img"
          aria-label={row.online ? "online" : "offline"}
        />
        {onFollow ? (
          <button
            type="button"
            class="link open-code"
            onClick={() => onFollow(row)}
            aria-label={`Follow ${row.name}`}
            title="Follow: their code live, read-only, and their last run"
          >
            {row.name}
          </button>
        ) : (
          row.name
        )}
        {onOpen && (
          <button
            type="button"
            class="link edit-code"
            onClick={() => onOpen(row)}
            aria-label={`Open ${row.name}'s code`}
            title="Open their code to edit it"
          />
        )}
      </th>
      <td>{taskTitle}</td>
      <td class="per-task">
        <ul class="task-checks">
          {tasks.map((t, i) => {
            const p = row.byTask[t.id];
            return (
              <li
                key={t.id}
                class={p ? (p.passed === p.total && p.total > 0 ? "pass" : "fail") : "none"}
                title={t.title}
                aria-label={`${t.title}: ${p ? `${p.passed} of ${p.total} checks passed` : "not run"}`}
              >
                <span class="task-tag">{taskTag(i)}</span> {p ? `${p.passed}/${p.total}` : "–"}
              </li>
            );
          })}
        </ul>
      </td>
      <td class="last-run" data-status={row.last ? (failing ? "failing" : "passing") : "none"}>
        {row.last ? (
          <>
            <span class={failing ? "fail" : "pass"}>{failing ? "failing" : "passing"}</span>
            {row.last.error && <div class="error-summary">{row.last.error}</div>}
          </>
        ) : (
          <span class="muted">no run yet</span>
        )}
      </td>
      <td>
        <Sparkline values={row.last?.loss ?? []} label={`Loss of ${row.name}'s last run`} />
      </td>
      <td>{idle}</td>
      <td>{row.hand ? <span class="hand-badge">raised</span> : ""}</td>
      {extra && <td class="extra">{extra.node}</td>}
    </tr>
  );
}, sameRow);

const COLUMNS: { key: SortKey | null; label: string }[] = [
  { key: "name", label: "Name" },
  { key: "task", label: "Current task" },
  { key: "passed", label: "Checks passed" },
  { key: "status", label: "Last run" },
  { key: null, label: "Loss" },
  { key: "idle", label: "Idle" },
  { key: "hand", label: "Hand" },
];

export function ParticipantsTable({
  rows,
  tasks,
  now,
  onOpen,
  onFollow,
  extraColumn,
}: {
  rows: ParticipantRow[];
  tasks: PublicTask[];
  now: number;
  /** Opens a participant's code beside the table, for the host to edit. */
  onOpen?: (row: ParticipantRow) => void;
  /** Follows a participant (their name): their code live and read-only, and their last run. */
  onFollow?: (row: ParticipantRow) => void;
  extraColumn?: ExtraColumn;
}) {
  const [sort, setSort] = useState<{ key: SortKey; direction: SortDirection }>({
    key: "name",
    direction: "ascending",
  });
  const [stuckOnly, setStuckOnly] = useState(false);
  const taskOrder = useMemo(() => tasks.map((t) => t.id), [tasks]);
  const taskTitle = (id: string | undefined) => tasks.find((t) => t.id === id)?.title ?? id ?? "—";
  const visible = sortRows(
    stuckOnly ? rows.filter((r) => isStuck(r, now)) : rows,
    sort.key,
    sort.direction,
    now,
    taskOrder,
  );
  const stuckCount = rows.filter((r) => isStuck(r, now)).length;
  const columns = extraColumn ? [...COLUMNS, { key: null, label: extraColumn.label }] : COLUMNS;
  const hands = rows.filter((r) => r.hand).length;

  const toggle = (key: SortKey) =>
    setSort((s) => ({
      key,
      direction: s.key === key && s.direction === "ascending" ? "descending" : "ascending",
    }));

  return (
    <section class="participants" aria-label="Participants">
      <div class="participants-head">
        <h2>
          Participants <span class="muted">({rows.length})</span>
        </h2>
        <span>
          {hands > 0 && (
            <strong class="hands">
              {hands} {hands === 1 ? "hand" : "hands"} raised
            </strong>
          )}
        </span>
        <label class="inline">
          <input
            type="checkbox"
            checked={stuckOnly}
            onChange={(e) => setStuckOnly(e.currentTarget.checked)}
          />
          Stuck only ({stuckCount})
        </label>
      </div>
      {tasks.length > 0 && (
        <p class="task-legend muted" aria-label="Tasks in the Checks passed column">
          {tasks.map((t, i) => (
            <span key={t.id}>
              <span class="task-tag">{taskTag(i)}</span> {t.title}
            </span>
          ))}
        </p>
      )}
      <table class="participants-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.label}
                scope="col"
                aria-sort={c.key && sort.key === c.key ? sort.direction : undefined}
              >
                {c.key ? (
                  <button type="button" class="sort" onClick={() => toggle(c.key!)}>
                    {c.label}
                    <span aria-hidden="true">
                      {sort.key === c.key ? (sort.direction === "ascending" ? " ▲" : " ▼") : ""}
                    </span>
                  </button>
                ) : (
                  c.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {visible.length === 0 && (
            <tr>
              <td colSpan={columns.length} class="muted">
                {rows.length === 0 ? "Nobody has joined yet." : "Nobody is stuck."}
              </td>
            </tr>
          )}
          {visible.map((row) => (
            <Row
              key={row.participantId}
              row={row}
              tasks={tasks}
              taskTitle={taskTitle(row.taskId)}
              idle={formatIdle(idleMs(row, now))}
              stuck={isStuck(row, now)}
              onOpen={onOpen}
              onFollow={onFollow}
              extra={extraColumn?.cell(row)}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}
