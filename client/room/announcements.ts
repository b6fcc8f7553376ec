/**
 * What the room says to screen readers (issue 17, point 10): a run's result, a new broadcast, the
 * host's stage change. Pure text builders, tested in Node; `use-announcements.ts` decides when.
 */
import type { RunOutcome } from "../run/report.js";

/** "3 of 4 checks passed; first failing: gradient", or why the run stopped. */
export function runAnnouncement(outcome: RunOutcome): string {
  const checks = outcome.checks.filter((c) => !c.hidden);
  const passed = checks.filter((c) => c.passed).length;
  const failing = checks.find((c) => !c.passed);
  const tally =
    checks.length === 0
      ? "no visible checks ran"
      : `${passed} of ${checks.length} checks passed${failing ? `; first failing: ${failing.name}` : ""}`;
  if (outcome.error) {
    const where = outcome.error.line !== undefined ? ` on line ${outcome.error.line}` : "";
    return `The run stopped with an error${where}: ${outcome.error.message}. ${tally}.`;
  }
  return `Run finished: ${tally}.`;
}

/** "Stage: review". */
export const stageAnnouncement = (stage: string): string => `Stage: ${stage}`;

/** "The host says: …", the broadcast's text (markup already stripped) cut to 300 characters. */
export function broadcastAnnouncement(text: string, hasCode: boolean): string {
  const words = text.replace(/\s+/g, " ").trim();
  const cut = words.length > 300 ? `${words.slice(0, 300)}…` : words;
  const said = cut || (hasCode ? "a code snippet" : "");
  return `The host says: ${said}${hasCode && cut ? " (with code)" : ""}`;
}
