/**
 * The child process of server/idle-memory.test.ts' real-heap test: grows V8's young generation
 * (allocation that survives a few scavenges, as a room's updates do), then goes quiet and prints
 * one JSON line: the reclaim (or, with `--no-reclaim`, the young generation after as long a
 * quiet time).
 */
import { createLogger } from "../logger.js";
import { IdleMemoryReclaimer, processHeap, type Reclaim } from "../idle-memory.js";

const quietMs = 300;
const heap = processHeap();
if (!heap) throw new Error("start this script with --expose-gc");

let kept: object[][] = [];
const started = Date.now();
while (Date.now() - started < 1500) {
  const batch: object[] = [];
  for (let i = 0; i < 1000; i++) batch.push({ i, text: `keystroke ${i}` });
  kept.push(batch);
  if (kept.length > 200) kept = kept.slice(100);
  await null;
}
kept = [];
const grown = heap.youngGenerationBytes();

// The quiet spell allocates a little, as a server's timers do.
let ticks: object[] = [];
const tick = setInterval(() => (ticks = Array.from({ length: 100 }, (_, i) => ({ i }))), 50);

if (process.argv.includes("--no-reclaim")) {
  await new Promise((r) => setTimeout(r, quietMs + 3000));
  console.log(JSON.stringify({ grown, youngBytesAfter: heap.youngGenerationBytes(), ticks: ticks.length }));
} else {
  const reclaimer = new IdleMemoryReclaimer(heap, { quietMs }, createLogger("silent"));
  const done = new Promise<Reclaim>((resolve) => (reclaimer.onReclaimed = resolve));
  reclaimer.start();
  reclaimer.noteActivity();
  const reclaim = await done;
  reclaimer.close();
  console.log(JSON.stringify({ grown, ...reclaim }));
}
clearInterval(tick);
