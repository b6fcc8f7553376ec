/**
 * V8's young-generation collections (scavenges) moved into the server's quiet moments.
 *
 * V8 scavenges when the young generation fills up, which happens while the server allocates: in the
 * middle of a burst of keystrokes being applied and fanned out, where each of the ~1 ms pauses
 * holds back every delivery still to come in that burst (docs/benchmarks.md, "Scavenges in the
 * quiet moments"). A room's traffic comes in bursts (five writers typing in step, a class's
 * keystrokes) with gaps of tens of ms between them, so a scavenge run in a gap, once the young
 * generation is at least `minFill` full, costs no keystroke anything, and the one V8 would have run
 * inside the next burst does not come. This is what Chrome's idle-time GC does for a page; Node
 * has no idle-task scheduler, so the server keeps its own: every input frame is noted
 * (`noteInput`, a clock read), and once none has come for `quietMs` it looks at the young
 * generation's fill (`v8.getHeapSpaceStatistics`) and scavenges if it is past `minFill`.
 *
 * It needs V8's `gc` function (`node --expose-gc`, which `npm start` and the Docker image pass);
 * without it nothing changes and V8 schedules every scavenge itself. Attendee code never sees
 * `gc`: it runs in QuickJS, not in the server's JavaScript context.
 */
import { getHeapSpaceStatistics } from "node:v8";

export interface QuietScavengeOptions {
  /** How long without input counts as quiet. */
  quietMs: number;
  /** The young generation's fill (0–1) from which a quiet moment is used for a scavenge. */
  minFill: number;
}

/**
 * 5 ms: a burst's frames come well under 1 ms apart (five writers in step, a joiner's sync), and a
 * class of 50 typing at random leaves a gap of 5 ms or more before most keystrokes. Half full: the
 * next burst (~0.2 MB for five keystrokes fanned out to 50 peers) cannot fill the rest of a young
 * generation of several MB, so V8's own scavenge (at 80–100 %) does not come inside it.
 */
export const QUIET_SCAVENGE_DEFAULTS: QuietScavengeOptions = { quietMs: 5, minFill: 0.5 };

/** How full V8's young generation is (0–1): its used bytes over used plus available. */
export function youngGenerationFill(): number {
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name !== "new_space") continue;
    const capacity = space.space_used_size + space.space_available_size;
    return capacity > 0 ? space.space_used_size / capacity : 0;
  }
  return 0;
}

/** The options of V8's `gc` extension (`node --expose-gc`). */
interface GcOptions {
  type: "minor" | "major";
  execution?: "sync" | "async";
}

/** A synchronous scavenge through V8's `gc` (`node --expose-gc`); null when it is not exposed. */
export function exposedScavenge(): (() => void) | null {
  const gc = (globalThis as { gc?: (options?: GcOptions) => void }).gc;
  if (typeof gc !== "function") return null;
  return () => gc({ type: "minor" });
}

export class QuietScavenges {
  /** Scavenges run in quiet moments so far. */
  scavenges = 0;
  private lastInputAt = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly scavenge: () => void,
    private readonly options: QuietScavengeOptions = QUIET_SCAVENGE_DEFAULTS,
    private readonly fill: () => number = youngGenerationFill,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Input arrived (a frame from a client): the server is busy now; look again once it is quiet. */
  noteInput(): void {
    this.lastInputAt = this.now();
    if (this.timer === null && !this.stopped) this.arm(this.options.quietMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(this.check, ms);
    // A quiet moment's scavenge is no reason to keep the process alive.
    this.timer.unref();
  }

  private readonly check = (): void => {
    this.timer = null;
    const quietFor = this.now() - this.lastInputAt;
    if (quietFor < this.options.quietMs) {
      this.arm(this.options.quietMs - quietFor);
      return;
    }
    if (this.fill() < this.options.minFill) return;
    this.scavenge();
    this.scavenges++;
  };
}

/** The process's scavenger (the heap is the process's): set by the first server that starts one. */
let processScavenges: QuietScavenges | null = null;

/** Notes input for the process's scavenger, if one runs (the sync sockets call this per frame). */
export function noteInput(): void {
  processScavenges?.noteInput();
}

/**
 * Starts the process's scavenger when V8's `gc` is exposed and none runs yet; returns it (to stop
 * it and read its count), or null when it does not run.
 */
export function startQuietScavenges(
  options: QuietScavengeOptions = QUIET_SCAVENGE_DEFAULTS,
): QuietScavenges | null {
  if (processScavenges) return null;
  const scavenge = exposedScavenge();
  if (!scavenge) return null;
  processScavenges = new QuietScavenges(scavenge, options);
  return processScavenges;
}

/** Stops the process's scavenger if it is `scavenges` (a server that started it shutting down). */
export function stopQuietScavenges(scavenges: QuietScavenges): void {
  scavenges.stop();
  if (processScavenges === scavenges) processScavenges = null;
}
