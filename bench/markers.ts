/**
 * The markers the bench's writers type ("#writer:seq#") and how its readers find them in the raw
 * update bytes they receive. `seq` counts from 0 across every writer of a scenario, so it alone
 * names a marker, and when it was typed and which readers saw it are kept in arrays indexed by it.
 *
 * Readers scan bytes, not strings: the load generator takes in thousands of frames a second, each
 * of them between a keystroke and its measured arrival at the next reader. A latin1 copy of each
 * frame, a regular expression over it and a Set of marker ids per reader cost 0.8 µs a frame and
 * kept a string per delivery; the scan costs 0.1 µs and keeps one bit (`npm run bench:markers`;
 * docs/benchmarks.md, "The load generator, and the writers in step").
 */

const HASH = 0x23;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;

const isDigit = (byte: number): boolean => byte >= ZERO && byte <= NINE;

/** The `seq` of a marker id ("writer:seq"). */
export function markerSeq(id: string): number {
  const seq = /^\d+:(\d+)$/.exec(id)?.[1];
  if (seq === undefined || !Number.isSafeInteger(Number(seq))) throw new Error(`not a marker id: ${id}`);
  return Number(seq);
}

/**
 * An array holding at least `length` entries: `array` itself, or a copy at least twice as long
 * (`allocate` makes the new one, filled as unused entries must read).
 */
function grownTo<T extends Float64Array | Uint8Array>(
  array: T,
  length: number,
  allocate: (length: number) => T,
): T {
  if (length <= array.length) return array;
  const grown = allocate(Math.max(length, array.length * 2));
  grown.set(array);
  return grown;
}

/** Send times not recorded (yet) read NaN. */
const unsetTimes = (length: number): Float64Array => new Float64Array(length).fill(NaN);

/** When each marker was typed (`performance.now()` ms), by id. */
export class SentMarkers {
  private times = unsetTimes(1024);
  private readonly ids: string[] = [];

  /** Records that marker `id` ("writer:seq") was typed at `at`. */
  set(id: string, at: number): this {
    const seq = markerSeq(id);
    this.times = grownTo(this.times, seq + 1, unsetTimes);
    if (Number.isNaN(this.times[seq]!)) this.ids.push(id);
    this.times[seq] = at;
    return this;
  }

  get(id: string): number | undefined {
    return this.at(markerSeq(id));
  }

  /** When marker `seq` was typed, or undefined when it was not (yet). */
  at(seq: number): number | undefined {
    const t = seq < this.times.length ? this.times[seq]! : NaN;
    return Number.isNaN(t) ? undefined : t;
  }

  /** How many markers were typed. */
  get size(): number {
    return this.ids.length;
  }

  /** Every typed marker as [id, time], in the order they were typed. */
  *[Symbol.iterator](): IterableIterator<[string, number]> {
    for (const id of this.ids) yield [id, this.get(id)!];
  }
}

/** The markers one reader has received: one bit per `seq`. */
export class SeenMarkers {
  private bits: Uint8Array = new Uint8Array(128);
  private count = 0;

  /** Notes marker `seq` as received; false when it already was. */
  add(seq: number): boolean {
    if (this.hasSeq(seq)) return false;
    this.bits = grownTo(this.bits, (seq >>> 3) + 1, (length) => new Uint8Array(length));
    this.bits[seq >>> 3]! |= 1 << (seq & 7);
    this.count++;
    return true;
  }

  /** Whether marker `id` ("writer:seq") was received. */
  has(id: string): boolean {
    return this.hasSeq(markerSeq(id));
  }

  private hasSeq(seq: number): boolean {
    const byte = seq >>> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (seq & 7))) !== 0;
  }

  /** How many distinct markers were received. */
  get size(): number {
    return this.count;
  }
}

/**
 * Calls `found(writer, seq)` for every marker in `bytes`, left to right, as the regular expression
 * `/#(\d+):(\d+)#/g` would match them on the bytes read as latin1 (a failed match at a '#' retries
 * at the next byte; after a match the scan goes on past its closing '#'). Allocates nothing.
 */
export function scanMarkers(bytes: Uint8Array, found: (writer: number, seq: number) => void): void {
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== HASH) continue;
    let j = i + 1;
    let writer = 0;
    const writerStart = j;
    while (j < n && isDigit(bytes[j]!)) writer = writer * 10 + (bytes[j++]! - ZERO);
    if (j === writerStart || j >= n || bytes[j] !== COLON) continue;
    j++;
    let seq = 0;
    const seqStart = j;
    while (j < n && isDigit(bytes[j]!)) seq = seq * 10 + (bytes[j++]! - ZERO);
    if (j === seqStart || j >= n || bytes[j] !== HASH) continue;
    found(writer, seq);
    i = j;
  }
}
