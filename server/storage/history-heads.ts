/**
 * The latest stored version of recently written history files, in memory, so that keeping the
 * next version of a file reads one id instead of its chain (storage/history.ts). A cached head is
 * used only while it is still the file's latest row (another instance may have stored one since);
 * the least recently used heads are dropped past a total text size.
 */
import type { FileHead } from "./history.js";

/** Default bound on the cached texts, in UTF-16 code units (about 16 MB). */
const MAX_CHARS = 8_000_000;

export class FileHeads {
  private readonly heads = new Map<number, FileHead>();
  private chars = 0;

  constructor(private readonly maxChars = MAX_CHARS) {}

  /** The head of file `fileId` when its latest stored row is still `latestId`. */
  get(fileId: number, latestId: number): FileHead | null {
    const head = this.heads.get(fileId);
    if (!head) return null;
    // Most recently used last.
    this.heads.delete(fileId);
    if (head.id !== latestId) {
      this.chars -= head.text.length;
      return null;
    }
    this.heads.set(fileId, head);
    return head;
  }

  /** Records that `head` is now file `fileId`'s latest stored version. */
  set(fileId: number, head: FileHead): void {
    const old = this.heads.get(fileId);
    if (old) {
      this.heads.delete(fileId);
      this.chars -= old.text.length;
    }
    if (head.text.length > this.maxChars) return;
    this.heads.set(fileId, head);
    this.chars += head.text.length;
    for (const [id, oldest] of this.heads) {
      if (this.chars <= this.maxChars) break;
      this.heads.delete(id);
      this.chars -= oldest.text.length;
    }
  }
}
