/**
 * The output budget of one run: total bytes (RunLimits.outputBytes) and a rate cap on events, so a
 * print loop cannot flood the parent, the network or the browser's DOM.
 */
import { RunLimitError } from "./errors.js";

/** Each event costs its payload plus this much, so a flood of empty lines still runs out. */
const EVENT_OVERHEAD_BYTES = 32;
/** Sustained events per second, and the burst allowed on top (token bucket). */
export const EVENT_RATE_PER_SECOND = 5_000;
export const EVENT_BURST = 10_000;

export class OutputBudget {
  private used = 0;
  private tokens = EVENT_BURST;
  private last: number;

  constructor(
    private readonly maxBytes: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.last = now();
  }

  get usedBytes(): number {
    return this.used;
  }

  /** Charges one console line of `bytes`; throws a RunLimitError("output") when over budget. */
  charge(bytes: number): void {
    this.tick();
    this.used += bytes + EVENT_OVERHEAD_BYTES;
    if (this.used > this.maxBytes) {
      throw new RunLimitError(
        "output",
        `Output limit exceeded: the run printed more than ${this.maxBytes} bytes.`,
      );
    }
  }

  /**
   * Charges one event against the rate only (plots, metrics and checks have their own size and
   * count caps, so a long training loop's metrics do not eat the console's bytes).
   */
  tick(): void {
    const t = this.now();
    this.tokens = Math.min(EVENT_BURST, this.tokens + ((t - this.last) / 1000) * EVENT_RATE_PER_SECOND);
    this.last = t;
    if (this.tokens < 1) {
      throw new RunLimitError("output", "Output limit exceeded: too many lines per second.");
    }
    this.tokens -= 1;
  }
}
