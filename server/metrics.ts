/**
 * Prometheus metrics of one server instance, served at `GET /metrics` (prom-client).
 *
 * One Registry per instance (not prom-client's global one) so that several servers in one process
 * (tests, benchmarks) each report their own numbers. The metrics follow the rooms through the
 * RoomRegistry's observer hooks and the storage through its append watcher; the sandbox verify
 * pool sets `verificationsQueued` itself.
 *
 * The per-update figures (updates applied, time to apply) are tallied in plain numbers as updates
 * are applied and handed to prom-client when scraped ({@link UpdateTally}): prom-client's own `inc`
 * and `observe` validate and hash their labels and allocate on every call, which on the update path
 * of a classroom burst was about a tenth of the server's CPU per received update (profiled,
 * docs/benchmarks.md "alloc"). A scrape pays for it instead: one `observe` per update since the
 * previous scrape (a few ms at thousands of updates), once every scrape interval.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { RoomObserver } from "./sync/registry.js";
import { LOAD_ORIGIN, RELAY_ORIGIN, type Room } from "./sync/room.js";

/** Bucket bounds of `scratchroom_fanout_seconds`. */
const FAN_OUT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

/**
 * Updates applied and their apply times, counted since the last scrape without allocating: per
 * source a count, per histogram bucket (the last one past every bound) a count and a sum of seconds.
 */
export class UpdateTally {
  local = 0;
  relay = 0;
  readonly counts: Float64Array;
  readonly sums: Float64Array;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
    this.sums = new Float64Array(bounds.length + 1);
  }

  /** One update applied (relayed from another instance or not), taking `seconds`. */
  add(relayed: boolean, seconds: number): void {
    if (relayed) this.relay++;
    else this.local++;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    this.counts[i]!++;
    this.sums[i]! += seconds;
  }

  /** Hands the updates counted so far to `counter` (by source) and forgets them. */
  drainCounts(counter: Counter<"source">): void {
    if (this.local > 0) counter.inc({ source: "local" }, this.local);
    if (this.relay > 0) counter.inc({ source: "relay" }, this.relay);
    this.local = 0;
    this.relay = 0;
  }

  /**
   * Hands the apply times tallied so far to `histogram` and forgets them: each bucket's count as
   * that many observations of the bucket's mean (which lies in the bucket), so the histogram gets
   * the same bucket counts, count and sum as from one observation per update.
   */
  drainTimes(histogram: Histogram): void {
    const { bounds, counts, sums } = this;
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i]!;
      if (n === 0) continue;
      // The mean, kept inside its bucket (rounding of the sum could put it a hair outside).
      const lower = i === 0 ? -Infinity : bounds[i - 1]!;
      const upper = i < bounds.length ? bounds[i]! : Infinity;
      let mean = Math.min(sums[i]! / n, upper);
      if (mean <= lower) mean = upper === Infinity ? lower * (1 + 1e-12) : (lower + upper) / 2;
      for (let k = 0; k < n; k++) histogram.observe(mean);
      counts[i] = 0;
      sums[i] = 0;
    }
  }
}

export class Metrics implements RoomObserver {
  readonly registry = new Registry();
  private readonly rooms = new Set<Room>();
  /** `updates` and `fanOutSeconds` since the last scrape (handed over by their `collect`). */
  private readonly tally = new UpdateTally(FAN_OUT_BUCKETS);

  readonly connections: Gauge;
  readonly docsLoaded: Gauge;
  /** Doc updates applied, by where they came from: this instance ("local") or another ("relay"). */
  readonly updates: Counter<"source">;
  /** From the start of the transaction applying an update to its frame queued to every peer. */
  readonly fanOutSeconds: Histogram;
  /** One batched append to storage. */
  readonly storageFlushSeconds: Histogram;
  /** Publish on one instance to apply on another (same clock within a host; skewed across hosts). */
  readonly relaySeconds: Histogram;
  /** Messages this instance published on doc channels, by kind. */
  readonly relayPublished: Counter<"kind">;
  /** Updates another instance relayed and never reported stored, persisted here instead. */
  readonly relayTakeovers: Counter;
  /** Sandbox verifications waiting for a worker; set by the verify pool. */
  readonly verificationsQueued: Gauge;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const rooms = this.rooms;
    const tally = this.tally;
    this.connections = new Gauge({
      name: "scratchroom_connections",
      help: "Open sync (WebSocket) connections",
      registers,
      collect() {
        let n = 0;
        for (const room of rooms) n += room.peers.size;
        this.set(n);
      },
    });
    this.docsLoaded = new Gauge({
      name: "scratchroom_docs_loaded",
      help: "Yjs docs held in memory",
      registers,
      collect() {
        this.set(rooms.size);
      },
    });
    this.updates = new Counter({
      name: "scratchroom_doc_updates_total",
      help: "Yjs updates applied to loaded docs (rate() gives updates/s)",
      labelNames: ["source"],
      registers,
      collect() {
        tally.drainCounts(this);
      },
    });
    this.fanOutSeconds = new Histogram({
      name: "scratchroom_fanout_seconds",
      help: "Time to apply an update (the room fans out each event-loop turn's updates at its end)",
      buckets: FAN_OUT_BUCKETS,
      registers,
      collect() {
        tally.drainTimes(this);
      },
    });
    this.storageFlushSeconds = new Histogram({
      name: "scratchroom_storage_flush_seconds",
      help: "Time to append one batch of updates to storage",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.relaySeconds = new Histogram({
      name: "scratchroom_relay_seconds",
      help: "Time from publishing an update on one instance to applying it on another",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    });
    this.relayPublished = new Counter({
      name: "scratchroom_relay_published_total",
      help: "Messages published to other instances on doc channels, by kind",
      labelNames: ["kind"],
      registers,
    });
    this.relayTakeovers = new Counter({
      name: "scratchroom_relay_takeovers_total",
      help: "Relayed updates persisted here because their instance never reported them stored",
      registers,
    });
    this.verificationsQueued = new Gauge({
      name: "scratchroom_sandbox_verifications_queued",
      help: "Sandbox verifications waiting for a worker",
      registers,
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  loaded(room: Room): void {
    this.rooms.add(room);
    let started = 0;
    room.doc.on("beforeTransaction", () => {
      started = performance.now();
    });
    // Registered after the Room's own handler, so by now the update is persisted and queued for
    // the room's end-of-turn fan-out.
    const tally = this.tally;
    room.doc.on("update", (_update: Uint8Array, origin: unknown) => {
      if (origin === LOAD_ORIGIN) return;
      tally.add(origin === RELAY_ORIGIN, (performance.now() - started) / 1000);
    });
  }

  unloaded(room: Room): void {
    this.rooms.delete(room);
  }

  /** Text exposition format, and its content type. */
  async render(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
