/**
 * Sync limits kept per participant and per client address, over all of their connections to this
 * instance (the per-connection limits are in connection.ts):
 *
 * - at most `connectionsPerParticipant` open connections per participant (the host counts as one
 *   participant per session) and `connectionsPerAddress` per client address; the next upgrade is
 *   refused with 429 `too_many_connections`;
 * - token buckets on the messages and bytes a participant sends over all its connections. A frame
 *   beyond them is dropped, every connection of the participant is closed with 4529
 *   (`CloseCode.participantRateLimited`, a "try again later" code the stock y-websocket client
 *   reconnects after), and its upgrades are refused with 429 `rate_limited` and `Retry-After` for a
 *   cooldown that doubles with each repeat within a minute. An honest client that somehow trips
 *   it loses nothing: its edits stay in its local doc and the sync handshake sends them on reconnect.
 *
 * Why close rather than throttle: a throttled socket still costs a frame decode per message, and
 * one token on a hundred sockets at 190 messages/s each stays under every per-connection limit
 * while it pegs the server's core; closing all of them at once and refusing reconnects for a while
 * is what gives the other sessions their CPU back.
 */
import type { Limits } from "../config.js";
import { parseDocName } from "../../contract/doc-names.js";
import { busy, type DomainError } from "../errors.js";
import { CloseCode, type DocAccess, type FrameBudget } from "./connection.js";

/** What the budget needs of a connection: a way to close it. */
export interface ClosableConnection {
  close(code: number, reason: string): void;
}

/** Repeats within this time double the cooldown; after it, the next strike starts from the base. */
const STRIKE_MEMORY_MS = 60_000;
/** Longest cooldown however often a participant trips the budget. */
const MAX_COOLDOWN_MS = 60_000;
/** Idle participants' buckets are swept at most this often. */
const SWEEP_INTERVAL_MS = 10_000;

/** One participant on this instance: its open connections, token buckets and cooldown. */
class Participant {
  readonly connections = new Set<ClosableConnection>();
  /** Admissions not yet released (connections still upgrading count too). */
  open = 0;
  cooldownUntil = 0;
  private messages: number;
  private bytes: number;
  private refilledAt: number;
  private strikes = 0;
  private lastStrikeAt = -Infinity;

  constructor(
    private readonly limits: Limits,
    now: number,
  ) {
    this.messages = limits.participantMessageBurst;
    this.bytes = byteBurst(limits);
    this.refilledAt = now;
  }

  /** Charges one message of `bytes`; past the budget, starts a cooldown and closes every connection. */
  charge(bytes: number, now: number): boolean {
    if (this.cooldownUntil > now) return false;
    const { participantMessagesPerSecond, participantMessageBurst, participantBytesPerSecond } = this.limits;
    const seconds = (now - this.refilledAt) / 1000;
    this.messages = Math.min(participantMessageBurst, this.messages + seconds * participantMessagesPerSecond);
    this.bytes = Math.min(byteBurst(this.limits), this.bytes + seconds * participantBytesPerSecond);
    this.refilledAt = now;
    if (this.messages >= 1 && this.bytes >= bytes) {
      this.messages -= 1;
      this.bytes -= bytes;
      return true;
    }
    this.strikes = now - this.lastStrikeAt < STRIKE_MEMORY_MS ? this.strikes + 1 : 1;
    this.lastStrikeAt = now;
    const cooldown = Math.min(MAX_COOLDOWN_MS, this.limits.participantCooldownMs * 2 ** (this.strikes - 1));
    this.cooldownUntil = now + cooldown;
    const reason = `participant message rate exceeded; reconnect in ${Math.ceil(cooldown / 1000)} s`;
    for (const connection of [...this.connections]) {
      connection.close(CloseCode.participantRateLimited, reason);
    }
    return false;
  }

  /**
   * Nothing would change if it were forgotten: no connections, buckets full again, cooldown and
   * strike memory over (forgetting earlier would hand a flooder a fresh burst on reconnect).
   */
  forgettable(now: number): boolean {
    const { participantMessageBurst, participantMessagesPerSecond, participantBytesPerSecond } = this.limits;
    const refillMs =
      1000 *
      Math.max(
        participantMessageBurst / participantMessagesPerSecond,
        byteBurst(this.limits) / participantBytesPerSecond,
      );
    return (
      this.open === 0 &&
      now - this.refilledAt > refillMs &&
      this.cooldownUntil <= now &&
      now - this.lastStrikeAt >= STRIKE_MEMORY_MS
    );
  }
}

/** A participant's byte burst: a second's worth or two maximal frames, whichever is more. */
function byteBurst(limits: Limits): number {
  return Math.max(2 * limits.maxFrameBytes, limits.participantBytesPerSecond);
}

/** One admitted connection: its share of the caps, held until `release`. */
export class Admission implements FrameBudget {
  private connection: ClosableConnection | null = null;
  private released = false;

  constructor(
    private readonly participant: Participant,
    /** Null when connections are not capped per address. */
    readonly address: string | null,
    /** Told of the release (one reference per admission rather than a closure). */
    private readonly budgets: ParticipantBudgets,
  ) {}

  /** The connection this admission became; it is closed with the others when the budget trips. */
  attach(connection: ClosableConnection): void {
    if (this.released) return;
    this.connection = connection;
    this.participant.connections.add(connection);
  }

  take(bytes: number): boolean {
    return !this.released && this.participant.charge(bytes, this.budgets.now());
  }

  /** Gives the connection's place back (idempotent): the socket closed, or the upgrade failed. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.connection) this.participant.connections.delete(this.connection);
    this.participant.open--;
    this.budgets.released(this);
  }
}

export class ParticipantBudgets {
  private readonly participants = new Map<string, Participant>();
  private readonly addresses = new Map<string, number>();
  private sweptAt: number;

  constructor(
    private readonly limits: Limits,
    readonly now: () => number = () => performance.now(),
  ) {
    this.sweptAt = now();
  }

  /**
   * Admits one more connection for `access` from `address`, or throws the `busy` domain error (429) the
   * upgrade is refused with. The admission holds its place until released. `address` may be null when
   * `connectionsPerAddress` is 0 (no cap: nothing is counted per address).
   */
  admit(access: DocAccess, address: string | null): Admission {
    const t = this.now();
    this.sweep(t);
    const key = participantKey(access);
    const existing = this.participants.get(key);
    if (existing && existing.cooldownUntil > t) {
      const seconds = Math.max(1, Math.ceil((existing.cooldownUntil - t) / 1000));
      throw busy(
        "rate_limited",
        `too many sync messages from this participant; reconnect in ${seconds} s`,
        seconds,
      );
    }
    const { connectionsPerParticipant, connectionsPerAddress } = this.limits;
    if (connectionsPerParticipant > 0 && (existing?.open ?? 0) >= connectionsPerParticipant) {
      throw tooManyConnections(
        `this participant already has ${connectionsPerParticipant} open sync connections`,
      );
    }
    const counted = connectionsPerAddress > 0 ? address : null;
    const fromAddress = counted === null ? 0 : (this.addresses.get(counted) ?? 0);
    if (counted !== null && fromAddress >= connectionsPerAddress) {
      throw tooManyConnections(`this address already has ${connectionsPerAddress} open sync connections`);
    }
    const participant = existing ?? new Participant(this.limits, t);
    this.participants.set(key, participant);
    participant.open++;
    if (counted !== null) this.addresses.set(counted, fromAddress + 1);
    return new Admission(participant, counted, this);
  }

  /** Open connections (admitted, not released) of the participant behind `access`. */
  openConnections(access: DocAccess): number {
    return this.participants.get(participantKey(access))?.open ?? 0;
  }

  /** Participants remembered (for tests: idle ones are forgotten). */
  get size(): number {
    return this.participants.size;
  }

  /** An admission gave its place back (Admission.release). */
  released(admission: Admission): void {
    if (admission.address === null) return;
    const left = (this.addresses.get(admission.address) ?? 1) - 1;
    if (left <= 0) this.addresses.delete(admission.address);
    else this.addresses.set(admission.address, left);
  }

  /** Forgets idle participants, at most every `SWEEP_INTERVAL_MS`. */
  private sweep(t: number): void {
    if (t - this.sweptAt < SWEEP_INTERVAL_MS) return;
    this.sweptAt = t;
    for (const [key, participant] of this.participants) {
      if (participant.forgettable(t)) this.participants.delete(key);
    }
  }
}

function tooManyConnections(message: string): DomainError {
  return busy("too_many_connections", `${message}; close one and retry`, 5);
}

/** The participant a credential speaks for: the participant id, or the host of the doc's session. */
function participantKey(access: DocAccess): string {
  if (access.role === "attendee") return `participant:${access.principal}`;
  return `host:${parseDocName(access.doc)?.sessionId ?? access.doc}`;
}
