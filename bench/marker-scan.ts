/**
 * `npm run bench:markers`: what a bench reader costs the load generator per frame (bench/markers.ts)
 * against the way readers found markers before 2026-12-07 (the baseline: a latin1 copy of each
 * frame, a regular expression over it, a Set of marker ids per reader), in the same process, on
 * the same frames: real Yjs updates of one marker each, as the hot room's writers type them, read
 * by 45 readers (a 50-client room's). Rounds alternate the two; it prints each one's µs a frame and
 * their ratio, the medians over the rounds.
 */
import * as Y from "yjs";
import { scanMarkers, SeenMarkers, SentMarkers } from "./markers.js";
import { median } from "./stats.js";

const FRAMES = 3000;
const READERS = 45;
const ROUNDS = 9;

/** The frames: one keystroke's update each, a marker typed at a random place in a growing text. */
function typedFrames(): Uint8Array[] {
  const doc = new Y.Doc();
  const frames: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => frames.push(update));
  const text = doc.getText("bench");
  for (let seq = 0; seq < FRAMES; seq++)
    text.insert(Math.floor(Math.random() * (text.length + 1)), `#${seq % 5}:${seq}#`);
  return frames;
}

/** Every reader takes in every frame, as each is typed; ms in all. */
type Readers = (frames: Uint8Array[]) => number;

const baseline: Readers = (frames) => {
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  const seen = Array.from({ length: READERS }, () => new Set<string>());
  const start = performance.now();
  for (const [seq, frame] of frames.entries()) {
    sent.set(`${seq % 5}:${seq}`, 0);
    for (const mine of seen) {
      const text = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString("latin1");
      for (const m of text.matchAll(/#(\d+:\d+)#/g)) {
        const t = sent.get(m[1]!);
        if (t !== undefined && !mine.has(m[1]!)) {
          mine.add(m[1]!);
          latencies.push(1 - t);
        }
      }
    }
  }
  return performance.now() - start;
};

const scanning: Readers = (frames) => {
  const sent = new SentMarkers();
  const latencies: number[] = [];
  const found = Array.from({ length: READERS }, () => {
    const mine = new SeenMarkers();
    return (_writer: number, seq: number) => {
      const t = sent.at(seq);
      if (t !== undefined && mine.add(seq)) latencies.push(1 - t);
    };
  });
  const start = performance.now();
  for (const [seq, frame] of frames.entries()) {
    sent.set(`${seq % 5}:${seq}`, 0);
    for (const reader of found) scanMarkers(frame, reader);
  }
  return performance.now() - start;
};

const frames = typedFrames();
const perFrame = (ms: number) => (ms * 1000) / (FRAMES * READERS);
const results = { baseline: [] as number[], scanning: [] as number[], ratio: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  const b = perFrame(baseline(frames));
  const s = perFrame(scanning(frames));
  results.baseline.push(b);
  results.scanning.push(s);
  results.ratio.push(s / b);
}
console.log(
  `${READERS} readers × ${FRAMES} frames, median of ${ROUNDS} rounds: baseline (latin1 + regex + Set) ` +
    `${median(results.baseline).toFixed(2)} µs a frame, scanning ${median(results.scanning).toFixed(2)} µs; ` +
    `scanning / baseline ${median(results.ratio).toFixed(2)}`,
);
