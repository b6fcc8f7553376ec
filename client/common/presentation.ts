/**
 * Present mode in the session doc (docs/api.md, "Present mode"): the host writes `Y.Map "present"`
 * (`active`, `code` Y.Text, `topLine`, `bottomLine`, `taskId`, `fontSize`, `shown`); every
 * attendee's room follows it,
 * and each attendee announces in its session-doc awareness whether it follows or stepped out.
 * Read defensively, like the rest of the session doc; pure, so it is tested in Node.
 */
import * as Y from "yjs";

export interface PresentState {
  active: boolean;
  /** The host's presenter editor; null until the host's dashboard has created it. */
  code: Y.Text | null;
  /** First (1-based) line visible in the host's editor. */
  topLine: number;
  /** Last line visible in the host's editor, when known. */
  bottomLine: number | null;
  taskId: string | null;
  /** The followers' font size in CSS pixels, chosen by the host for the projector. */
  fontSize: number;
  /** Whose workspace is shown ("Ada", "Ada & Bob") when the host shows an attendee's code. */
  shown: string | null;
}

/** Font sizes the host may pick for the followers' view (CSS pixels). */
export const PRESENT_FONT_SIZES = [16, 20, 24, 28, 32, 40, 48] as const;
export const DEFAULT_PRESENT_FONT_SIZE = 24;
/** Longest `shown` label kept. */
export const SHOWN_LABEL_CHARS = 120;

const line = (v: unknown): number | null =>
  typeof v === "number" && Number.isInteger(v) && v >= 1 ? v : null;

export function readPresent(present: Y.Map<unknown>): PresentState {
  const code = present.get("code");
  const taskId = present.get("taskId");
  const shown = present.get("shown");
  return {
    active: present.get("active") === true,
    code: code instanceof Y.Text ? code : null,
    topLine: line(present.get("topLine")) ?? 1,
    bottomLine: line(present.get("bottomLine")),
    taskId: typeof taskId === "string" && taskId ? taskId : null,
    fontSize: fontSize(present.get("fontSize")),
    shown: typeof shown === "string" && shown ? shown.slice(0, SHOWN_LABEL_CHARS) : null,
  };
}

const fontSize = (v: unknown): number =>
  typeof v === "number" && Number.isFinite(v)
    ? Math.min(Math.max(Math.round(v), PRESENT_FONT_SIZES[0]), PRESENT_FONT_SIZES.at(-1)!)
    : DEFAULT_PRESENT_FONT_SIZE;

/** What an attendee announces (awareness field `presenting`) while the host presents. */
export type Presenting = "following" | "stepped-out";

/**
 * How many attendees follow the presentation and who stepped out (names sorted), from the session
 * doc's awareness states; names come from the roster, or the state's own `user.name`.
 */
export function summarisePresenting(
  states: ReadonlyMap<number, Record<string, unknown>>,
  roster: ReadonlyMap<string, { name: string }>,
): { following: number; steppedOut: string[] } {
  const byParticipant = new Map<string, Presenting>();
  const names = new Map<string, string>();
  for (const state of states.values()) {
    const pid = state.participantId;
    if (typeof pid !== "string") continue;
    if (state.presenting !== "following" && state.presenting !== "stepped-out") continue;
    // A participant with two tabs counts once, as following if either tab follows.
    if (byParticipant.get(pid) !== "following") byParticipant.set(pid, state.presenting);
    const user = state.user as { name?: unknown } | undefined;
    if (typeof user?.name === "string") names.set(pid, user.name);
  }
  let following = 0;
  const steppedOut: string[] = [];
  for (const [pid, presenting] of byParticipant) {
    if (presenting === "following") following++;
    else steppedOut.push(roster.get(pid)?.name ?? names.get(pid) ?? "(unknown)");
  }
  return { following, steppedOut: steppedOut.sort((a, b) => a.localeCompare(b)) };
}

/**
 * Where a follower scrolls: the host's top line at the top, or, when the host sees the end of the
 * text, the end (so a shorter follower window still shows the last lines the host sees).
 */
export function followerScrollTarget(
  present: Pick<PresentState, "topLine" | "bottomLine">,
  lines: number,
): { line: number; y: "start" | "end" } {
  if (present.bottomLine !== null && present.bottomLine >= lines) return { line: lines, y: "end" };
  return { line: Math.min(Math.max(1, present.topLine), Math.max(1, lines)), y: "start" };
}
