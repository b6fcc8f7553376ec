/**
 * The Redis relay between server instances (docs/deploy.md): instances that hold the same doc
 * exchange its Yjs updates and awareness over a Redis pub/sub channel per doc.
 *
 * - Load: a doc loaded here (from the shared storage) asks the instances already holding it for
 *   what it is missing (a sync request carrying its state vector) and waits, boundedly, for their
 *   answers before it serves clients. PUBLISH returns how many instances listen on the channel,
 *   so a doc nobody else holds does not wait at all.
 * - Steady state: every update made here (by a client of this instance or by the server itself,
 *   e.g. seeding on join) is published; every update received is applied with RELAY_ORIGIN and
 *   fanned out to this instance's clients. Yjs updates are idempotent, so duplicates are harmless.
 * - Alone on a doc (the normal case with room affinity): when a publish reaches no other
 *   instance, the doc stops publishing updates, awareness and "stored" reports until another
 *   instance speaks on its channel. A newcomer always speaks first (its sync request), and the
 *   answer carries everything made here meanwhile, so skipping loses nothing.
 * - Who persists what: an update is appended to the log only by the instance where it was made.
 *   The others keep a copy in custody until that instance reports it stored; if the report does
 *   not come within `custodyMs` (the instance died inside its flush window), they persist the
 *   copy themselves. The log therefore grows once per update, not once per instance, and a
 *   `kill -9` loses nothing another instance saw.
 * - Redis outage: each instance keeps serving its own clients; publishes fail fast (no offline
 *   queue) and ioredis reconnects. Once both connections are back, every loaded doc re-subscribes
 *   and re-runs the sync handshake, in both directions, and re-announces its awareness.
 * - Session events (participant joined, run reported) go over one shared channel so the host's
 *   live dashboard sees them whichever instance handled the request.
 */
import { Redis } from "ioredis";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { SessionEvent } from "../session/events.js";
import type { DocUpdate } from "../storage/types.js";
import { isEmptyUpdate } from "../sync/protocol.js";
import type { RoomObserver } from "../sync/registry.js";
import { LOAD_ORIGIN, RELAY_ORIGIN, type Room } from "../sync/room.js";
import { decodeRelayMessage, encodeRelayMessage, type RelayMessage } from "./messages.js";

export interface RedisRelayOptions {
  url: string;
  /** Prepended to every channel name, so deployments (and test runs) sharing a Redis stay apart. */
  channelPrefix: string;
  /** Unique per process (a restarted instance is a new one). */
  instanceId: string;
  /** Longest wait, on load, for the instances holding a doc to answer. */
  syncTimeoutMs: number;
  /** How long a relayed update waits for its instance to report it stored before being stored here. */
  custodyMs: number;
}

/** Appends an update to this instance's update log. */
export type Persist = (doc: string, update: Uint8Array) => void;

interface Held {
  from: string;
  seq: number;
  update: Uint8Array;
  at: number;
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/** What the relay keeps for one loaded doc. */
class RelayedDoc {
  /** Seq of the latest update made here, and of the latest one this instance reported stored. */
  lastLocalSeq = 0;
  storedSeq = 0;
  /** Per other instance: the highest seq it reported stored for this doc. */
  readonly storedBy = new Map<string, number>();
  /** Relayed updates not yet reported stored by their instance. */
  held: Held[] = [];
  /** The last publish reached no other instance, and none has spoken since. */
  alone = false;
  /** A handshake waiting for this many more answers. */
  waiting: { remaining: number; done: () => void } | null = null;
  readonly detach: () => void;

  constructor(
    readonly room: Room,
    readonly channel: string,
    onUpdate: (update: Uint8Array, origin: unknown) => void,
    onAwareness: (change: AwarenessChange, origin: unknown) => void,
  ) {
    room.doc.on("update", onUpdate);
    room.awareness.on("update", onAwareness);
    this.detach = () => {
      room.doc.off("update", onUpdate);
      room.awareness.off("update", onAwareness);
    };
  }

  /** The seq a peer must report stored before it can forget what we send now; 0: all stored. */
  custodySeq(): number {
    return this.lastLocalSeq > this.storedSeq ? this.lastLocalSeq : 0;
  }
}

export class RedisRelay implements RoomObserver {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly docs = new Map<string, RelayedDoc>();
  /** Seq of each update made here; instance-wide so it never restarts while the process lives. */
  private readonly seqOf = new WeakMap<Uint8Array, number>();
  private nextSeq = 0;
  private readonly eventsChannel: string;
  private sessionEventListener: ((sessionId: string, event: SessionEvent) => void) | null = null;
  private readonly sweeper: NodeJS.Timeout;
  private connectedOnce = false;
  private needsResync = false;
  private closed = false;

  private constructor(
    private readonly options: RedisRelayOptions,
    private readonly persist: Persist,
    private readonly metrics: Metrics | null,
    private readonly log: Logger,
  ) {
    const common = {
      // Publishing into a dead connection would only queue stale frames; the resync covers it.
      enableOfflineQueue: false,
      // Re-subscribing is done here, followed by a resync, once both connections are back.
      autoResubscribe: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(100 * times, 1000),
      lazyConnect: true,
    };
    this.pub = new Redis(options.url, { ...common, connectionName: `${options.instanceId}:pub` });
    this.sub = new Redis(options.url, { ...common, connectionName: `${options.instanceId}:sub` });
    this.eventsChannel = `${options.channelPrefix}events`;
    for (const connection of [this.pub, this.sub]) {
      connection.on("error", (err: Error) => this.log.debug({ err: err.message }, "redis connection error"));
      connection.on("close", () => {
        if (this.connectedOnce && !this.closed) {
          if (!this.needsResync) this.log.warn("redis connection lost; serving local clients only");
          this.needsResync = true;
        }
      });
      connection.on("ready", () => void this.onReady());
    }
    this.sub.on("messageBuffer", (channel: Buffer, message: Buffer) => this.onMessage(channel, message));
    this.sweeper = setInterval(() => this.sweepCustody(), Math.max(100, options.custodyMs / 4));
    this.sweeper.unref();
  }

  /** Connects (waiting up to `waitMs`; a Redis that is down is retried in the background). */
  static async start(
    options: RedisRelayOptions,
    persist: Persist,
    metrics: Metrics | null,
    log: Logger,
    waitMs = 5000,
  ): Promise<RedisRelay> {
    const relay = new RedisRelay(options, persist, metrics, log);
    const ready = Promise.all([relay.pub, relay.sub].map((c) => c.connect().catch(() => undefined))).then(
      () => relay.bothReady(),
    );
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), waitMs).unref());
    if (!(await Promise.race([ready, timeout]))) {
      log.warn({ url: options.url }, "redis not reachable yet; relaying starts when it is");
    }
    return relay;
  }

  get instanceId(): string {
    return this.options.instanceId;
  }

  /** Whether both Redis connections are up. */
  bothReady(): boolean {
    return this.pub.status === "ready" && this.sub.status === "ready";
  }

  // --- rooms ---------------------------------------------------------------------------------

  async loaded(room: Room): Promise<void> {
    const channel = this.options.channelPrefix + "doc:" + room.name;
    const doc: RelayedDoc = new RelayedDoc(
      room,
      channel,
      (update, origin) => this.onLocalUpdate(doc, update, origin),
      (change, origin) => this.onLocalAwareness(doc, change, origin),
    );
    this.docs.set(room.name, doc);
    if (!this.bothReady()) return;
    try {
      await this.sub.subscribe(channel);
    } catch (err) {
      this.log.warn({ err, doc: room.name }, "relay subscribe failed; the doc resyncs on reconnect");
      return;
    }
    await this.handshake(doc);
  }

  unloaded(room: Room): void {
    const doc = this.docs.get(room.name);
    if (!doc || doc.room !== room) return;
    this.docs.delete(room.name);
    doc.detach();
    doc.waiting?.done();
    // Nobody here will hear its instance report these stored any more: keep them safe.
    for (const h of doc.held) this.takeOver(room.name, h);
    if (this.sub.status === "ready") this.sub.unsubscribe(doc.channel).catch(() => undefined);
  }

  /** Storage confirmed these appends: tell the other instances which of our updates are safe. */
  stored(updates: DocUpdate[]): void {
    const through = new Map<string, number>();
    for (const u of updates) {
      const seq = this.seqOf.get(u.update);
      if (seq !== undefined) through.set(u.doc, Math.max(seq, through.get(u.doc) ?? 0));
    }
    for (const [name, seq] of through) {
      const doc = this.docs.get(name);
      if (!doc) {
        this.publish(this.options.channelPrefix + "doc:" + name, {
          kind: "stored",
          from: this.instanceId,
          seq,
        });
        continue;
      }
      doc.storedSeq = Math.max(doc.storedSeq, seq);
      this.publishToDoc(doc, { kind: "stored", from: this.instanceId, seq });
    }
  }

  // --- session events ------------------------------------------------------------------------

  /** Receives session events published by other instances. */
  onSessionEvent(listener: (sessionId: string, event: SessionEvent) => void): void {
    this.sessionEventListener = listener;
    if (this.sub.status === "ready") {
      this.sub.subscribe(this.eventsChannel).catch(() => undefined);
    }
  }

  publishSessionEvent(sessionId: string, event: SessionEvent): void {
    if (this.pub.status !== "ready") return;
    const payload = JSON.stringify({ from: this.instanceId, sessionId, event });
    this.pub.publish(this.eventsChannel, payload).catch(() => undefined);
  }

  // --- lifecycle -----------------------------------------------------------------------------

  /** Stops relaying. Call after the last flush, so the final "stored" reports still go out. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    for (const doc of this.docs.values()) {
      doc.detach();
      doc.waiting?.done();
    }
    this.docs.clear();
    await Promise.all(
      [this.pub, this.sub].map(async (c) => {
        if (c.status === "ready") await c.quit().catch(() => c.disconnect());
        else c.disconnect();
      }),
    );
  }

  // --- internals -----------------------------------------------------------------------------

  private onLocalUpdate(doc: RelayedDoc, update: Uint8Array, origin: unknown): void {
    if (origin === RELAY_ORIGIN || origin === LOAD_ORIGIN) return;
    const seq = ++this.nextSeq;
    this.seqOf.set(update, seq);
    doc.lastLocalSeq = seq;
    this.publishToDoc(doc, { kind: "update", from: this.instanceId, seq, sentAt: Date.now(), update });
  }

  private onLocalAwareness(doc: RelayedDoc, change: AwarenessChange, origin: unknown): void {
    if (origin === RELAY_ORIGIN) return;
    const clients = change.added.concat(change.updated, change.removed);
    const update = awarenessProtocol.encodeAwarenessUpdate(doc.room.awareness, clients);
    this.publishToDoc(doc, { kind: "awareness", from: this.instanceId, update });
  }

  /** Publishes on a doc's channel, unless nobody else listens; learns whether anybody does. */
  private async publishToDoc(doc: RelayedDoc, message: RelayMessage): Promise<number> {
    const optional = message.kind === "update" || message.kind === "awareness" || message.kind === "stored";
    if (optional && doc.alone) return 0;
    const listeners = await this.publish(doc.channel, message);
    // 0: Redis unreachable, which says nothing about the others. Our own subscription counts.
    if (listeners > 0) doc.alone = listeners === 1;
    return listeners;
  }

  /** Publishes; resolves to how many instances received it (0 when Redis is unreachable). */
  private async publish(channel: string, message: RelayMessage): Promise<number> {
    if (this.pub.status !== "ready" || this.closed) return 0;
    try {
      const listeners = await this.pub.publish(channel, Buffer.from(encodeRelayMessage(message)));
      this.metrics?.relayPublished.inc({ kind: message.kind });
      return listeners;
    } catch {
      return 0;
    }
  }

  /** Asks the other holders of the doc for what we lack; waits for their answers, boundedly. */
  private async handshake(doc: RelayedDoc): Promise<void> {
    const listeners = await this.publishToDoc(doc, {
      kind: "sync-request",
      from: this.instanceId,
      stateVector: Y.encodeStateVector(doc.room.doc),
    });
    // Our own subscription counts among the listeners.
    const others = listeners - 1;
    if (others <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.log.debug({ doc: doc.room.name, unanswered: doc.waiting?.remaining }, "relay sync timed out");
        doc.waiting = null;
        resolve();
      }, this.options.syncTimeoutMs);
      doc.waiting = {
        remaining: others,
        done: () => {
          clearTimeout(timer);
          doc.waiting = null;
          resolve();
        },
      };
    });
  }

  private onMessage(channelBytes: Buffer, data: Buffer): void {
    const channel = channelBytes.toString();
    if (channel === this.eventsChannel) return this.onSessionEventMessage(data.toString());
    const name = channel.slice(this.options.channelPrefix.length + "doc:".length);
    const doc = this.docs.get(name);
    if (!doc) return;
    let message: RelayMessage;
    try {
      message = decodeRelayMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (err) {
      this.log.warn({ err, channel }, "undecodable relay message ignored");
      return;
    }
    if (message.from === this.instanceId) return;
    doc.alone = false;
    try {
      this.apply(doc, message);
    } catch (err) {
      this.log.warn({ err, doc: name, kind: message.kind }, "relay message could not be applied");
    }
  }

  private apply(doc: RelayedDoc, m: RelayMessage): void {
    const { room } = doc;
    switch (m.kind) {
      case "update":
        Y.applyUpdate(room.doc, m.update, RELAY_ORIGIN);
        this.hold(doc, m.from, m.seq, m.update);
        this.metrics?.relaySeconds.observe(Math.max(0, Date.now() - m.sentAt) / 1000);
        return;
      case "awareness":
        awarenessProtocol.applyAwarenessUpdate(room.awareness, m.update, RELAY_ORIGIN);
        return;
      case "sync-request": {
        this.publishToDoc(doc, {
          kind: "sync-reply",
          from: this.instanceId,
          to: m.from,
          seq: doc.custodySeq(),
          update: Y.encodeStateAsUpdate(room.doc, m.stateVector),
          stateVector: Y.encodeStateVector(room.doc),
        });
        this.announceAwareness(doc);
        return;
      }
      case "sync-reply": {
        if (m.to !== this.instanceId) return;
        if (!isEmptyUpdate(m.update)) {
          Y.applyUpdate(room.doc, m.update, RELAY_ORIGIN);
          this.hold(doc, m.from, m.seq, m.update);
        }
        // The other direction: what the answering instance lacks (edits made here during an outage).
        const missing = Y.encodeStateAsUpdate(room.doc, m.stateVector);
        if (!isEmptyUpdate(missing)) {
          this.publishToDoc(doc, {
            kind: "update",
            from: this.instanceId,
            seq: doc.custodySeq(),
            sentAt: Date.now(),
            update: missing,
          });
        }
        if (doc.waiting && --doc.waiting.remaining <= 0) doc.waiting.done();
        return;
      }
      case "stored": {
        doc.storedBy.set(m.from, Math.max(m.seq, doc.storedBy.get(m.from) ?? 0));
        doc.held = doc.held.filter((h) => h.from !== m.from || h.seq > m.seq);
        return;
      }
    }
  }

  /** Keeps a relayed update until its instance reports it stored (seq 0: already stored). */
  private hold(doc: RelayedDoc, from: string, seq: number, update: Uint8Array): void {
    if (seq === 0 || seq <= (doc.storedBy.get(from) ?? 0)) return;
    doc.held.push({ from, seq, update, at: Date.now() });
  }

  private sweepCustody(): void {
    const due = Date.now() - this.options.custodyMs;
    for (const [name, doc] of this.docs) {
      if (doc.held.length === 0 || doc.held[0]!.at > due) continue;
      const keep: Held[] = [];
      for (const h of doc.held) {
        if (h.at > due) keep.push(h);
        else this.takeOver(name, h);
      }
      doc.held = keep;
    }
  }

  private takeOver(name: string, h: Held): void {
    this.log.info(
      { doc: name, from: h.from, seq: h.seq },
      "relayed update never reported stored; storing it",
    );
    this.metrics?.relayTakeovers.inc();
    this.persist(name, h.update);
  }

  private announceAwareness(doc: RelayedDoc): void {
    const clients = [...doc.room.awareness.getStates().keys()];
    if (clients.length === 0) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(doc.room.awareness, clients);
    this.publishToDoc(doc, { kind: "awareness", from: this.instanceId, update });
  }

  private onSessionEventMessage(text: string): void {
    try {
      const { from, sessionId, event } = JSON.parse(text) as {
        from: string;
        sessionId: string;
        event: SessionEvent;
      };
      if (from !== this.instanceId && typeof sessionId === "string") {
        this.sessionEventListener?.(sessionId, event);
      }
    } catch (err) {
      this.log.warn({ err }, "undecodable session event ignored");
    }
  }

  /** Both connections are (back) up: subscribe everything and, after an outage, resync. */
  private async onReady(): Promise<void> {
    if (!this.bothReady() || this.closed) return;
    const resync = this.needsResync || !this.connectedOnce;
    this.connectedOnce = true;
    this.needsResync = false;
    const channels = [...this.docs.values()].map((d) => d.channel);
    if (this.sessionEventListener) channels.push(this.eventsChannel);
    if (channels.length === 0) return;
    try {
      await this.sub.subscribe(...channels);
    } catch (err) {
      this.log.warn({ err }, "relay re-subscribe failed; retrying on the next reconnect");
      this.needsResync = true;
      return;
    }
    if (!resync) return;
    this.log.info({ docs: this.docs.size }, "redis connection back; resyncing loaded docs");
    await Promise.all(
      [...this.docs.values()].map(async (doc) => {
        await this.handshake(doc);
        this.announceAwareness(doc);
      }),
    );
  }
}
