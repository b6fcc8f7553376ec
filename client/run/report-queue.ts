/**
 * Run reports waiting to reach the server. A report that fails because the network is down stays
 * queued (oldest first, bounded) and is sent again when the browser is back online or on the next
 * retry tick, so an attendee working offline still shows up on the dashboard when they return.
 * A report the server refuses (4xx) is dropped: sending it again would not help.
 */
import type { RunReport } from "../../contract/run-report.js";
import { ApiError } from "../api.js";

export const MAX_QUEUED_REPORTS = 20;

export class ReportQueue {
  private readonly queue: RunReport[] = [];
  private sending = false;

  constructor(
    private readonly send: (report: RunReport) => Promise<unknown>,
    private readonly onProblem: (message: string | null) => void = () => undefined,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  push(report: RunReport): Promise<void> {
    this.queue.push(report);
    if (this.queue.length > MAX_QUEUED_REPORTS) this.queue.splice(0, this.queue.length - MAX_QUEUED_REPORTS);
    return this.flush();
  }

  /** Sends queued reports in order; stops at the first network failure and keeps the rest. */
  async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        try {
          await this.send(this.queue[0]!);
          this.queue.shift();
          this.onProblem(null);
        } catch (error) {
          if (error instanceof ApiError && error.status === 0) {
            this.onProblem(
              `Offline: ${this.queue.length} run report(s) will reach the host when you are back.`,
            );
            return;
          }
          this.queue.shift();
          this.onProblem(
            `A run report was refused: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
