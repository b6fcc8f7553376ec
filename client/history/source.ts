/**
 * Where a timeline reads a workspace's history: through the session (the host, or an attendee for
 * its own workspace) or through a summary share link. Version texts never change, so each is
 * fetched once per source.
 */
import { api } from "../api.js";
import type { HistoryText, WorkspaceHistory } from "../../contract/history.js";

export interface HistorySource {
  /** The workspace's versions, every file's, oldest first. */
  versions(): Promise<WorkspaceHistory>;
  /** One version with its text. */
  text(versionId: number): Promise<HistoryText>;
}

/** A source over the history routes with `token` (host key, attendee token, or summary token). */
export function historySource(
  sessionId: string,
  token: string,
  workspaceId: string,
  via: "session" | "summary" = "session",
): HistorySource {
  const texts = new Map<number, Promise<HistoryText>>();
  return {
    versions: () => api.history(sessionId, token, workspaceId, via),
    text(versionId) {
      let text = texts.get(versionId);
      if (!text) {
        text = api.historyText(sessionId, token, workspaceId, versionId, via);
        // A failed fetch is not kept: the next look tries again.
        text.catch(() => texts.delete(versionId));
        texts.set(versionId, text);
      }
      return text;
    },
  };
}
