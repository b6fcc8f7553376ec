/**
 * Gives the server's memory back once it has gone quiet, in place of V8's memory reducer.
 *
 * The server runs with `--no-memory-reducer --expose-gc` (`npm start`, the Dockerfile). V8's
 * reducer judges a process idle by its allocation rate, and a server relaying a class's typing
 * allocates so little that the reducer took it for idle in the middle of a class: two or three
 * mark-compacts of 10–18 ms, eight seconds after every full collection, the hot room's worst rounds
 * (docs/benchmarks.md, "A fifth machine"). This server knows when it is idle: no doc update stored
 * and no room unloaded for `quietMs` (server/main.ts calls `noteActivity`). Then, once per quiet
 * spell, it collects the young generation a few times, `stepMs` apart, until V8 shrinks it (V8
 * shrinks it once its last allocation samples read a low rate, about ten collections), and ends
 * with a full collection, which frees the old generation's garbage and its pages. Activity
 * meanwhile stops it.
 */
import { getHeapSpaceStatistics, getHeapStatistics } from "node:v8";
import type { Logger } from "./logger.js";

/** What the reclaimer asks of a V8 heap. */
export interface HeapControls {
  /** A full (mark-compact) collection. */
  major(): void;
  /** A young-generation collection (a scavenge). */
  minor(): void;
  /** Bytes V8 holds for the young generation now (its semi-spaces). */
  youngGenerationBytes(): number;
  /** Bytes of the heap in use now. */
  usedBytes(): number;
}

/** This process's heap, or null when Node was started without `--expose-gc`. */
export function processHeap(): HeapControls | null {
  const gc = globalThis.gc;
  if (!gc) return null;
  return {
    major: () => gc({ type: "major", execution: "sync" }),
    minor: () => gc({ type: "minor", execution: "sync" }),
    youngGenerationBytes: () =>
      getHeapSpaceStatistics().find((s) => s.space_name === "new_space")?.space_size ?? 0,
    usedBytes: () => getHeapStatistics().used_heap_size,
  };
}

export interface IdleMemoryOptions {
  /** Time without a doc update stored after which memory is given back. */
  quietMs: number;
  /** Gap between the young-generation collections of one reclaim. */
  stepMs?: number;
  /** Most young-generation collections in one reclaim. */
  maxMinor?: number;
}

/** One reclaim: what it found and left. */
export interface Reclaim {
  /** How long the server had been quiet when the reclaim began. */
  quietForMs: number;
  minorCollections: number;
  youngBytesBefore: number;
  youngBytesAfter: number;
  usedBytesBefore: number;
  usedBytesAfter: number;
}

export class IdleMemoryReclaimer {
  private lastActivity: number;
  /** Nothing to give back until something has happened; then once per quiet spell. */
  private reclaimedSinceActivity = true;
  private checkTimer: NodeJS.Timeout | null = null;
  private stepTimer: NodeJS.Timeout | null = null;
  private readonly stepMs: number;
  private readonly maxMinor: number;
  /** The smallest young generation a reclaim has left (none yet: undefined). */
  private youngFloor: number | undefined;
  /** Called after each reclaim that ran to its end (tests, logs). */
  onReclaimed: (reclaim: Reclaim) => void = () => {};

  constructor(
    private readonly heap: HeapControls,
    private readonly options: IdleMemoryOptions,
    private readonly log: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(options.quietMs > 0)) throw new Error(`quietMs must be positive, got ${options.quietMs}`);
    this.stepMs = options.stepMs ?? 100;
    this.maxMinor = options.maxMinor ?? 20;
    this.lastActivity = now();
  }

  /** Starts watching for quiet spells. */
  start(): void {
    if (this.checkTimer) return;
    const every = Math.max(50, Math.min(5000, this.options.quietMs / 2));
    this.checkTimer = setInterval(() => this.check(), every);
    this.checkTimer.unref();
  }

  /** Something happened (doc updates stored, a room unloaded): the quiet spell starts again, a reclaim stops. */
  noteActivity(): void {
    this.lastActivity = this.now();
    this.reclaimedSinceActivity = false;
    if (this.stepTimer) {
      clearTimeout(this.stepTimer);
      this.stepTimer = null;
    }
  }

  close(): void {
    if (this.checkTimer) clearInterval(this.checkTimer);
    if (this.stepTimer) clearTimeout(this.stepTimer);
    this.checkTimer = this.stepTimer = null;
  }

  private check(): void {
    if (this.reclaimedSinceActivity || this.stepTimer) return;
    if (this.now() - this.lastActivity < this.options.quietMs) return;
    this.reclaimedSinceActivity = true;
    this.reclaim();
  }

  private reclaim(): void {
    const heap = this.heap;
    const quietForMs = Math.round(this.now() - this.lastActivity);
    const youngBytesBefore = heap.youngGenerationBytes();
    const usedBytesBefore = heap.usedBytes();
    // Young-generation collections only when it is bigger than a reclaim has ever left it.
    let minorCollections = 0;
    let shrinking = this.youngFloor === undefined || youngBytesBefore > this.youngFloor;
    const step = () => {
      this.stepTimer = null;
      if (shrinking) {
        heap.minor();
        minorCollections++;
        shrinking = heap.youngGenerationBytes() >= youngBytesBefore && minorCollections < this.maxMinor;
        if (shrinking) {
          this.stepTimer = setTimeout(step, this.stepMs);
          this.stepTimer.unref();
          return;
        }
      }
      heap.major();
      const reclaim: Reclaim = {
        quietForMs,
        minorCollections,
        youngBytesBefore,
        youngBytesAfter: heap.youngGenerationBytes(),
        usedBytesBefore,
        usedBytesAfter: heap.usedBytes(),
      };
      this.youngFloor = Math.min(this.youngFloor ?? Infinity, reclaim.youngBytesAfter);
      this.log.debug(reclaim, "quiet: memory given back");
      this.onReclaimed(reclaim);
    };
    this.stepTimer = setTimeout(step, this.stepMs);
    this.stepTimer.unref();
  }
}
