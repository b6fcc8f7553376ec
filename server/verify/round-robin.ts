/**
 * Waiting items in one FIFO lane per key (here: per session), served round-robin: `take` serves,
 * among the lanes the caller accepts, the one served longest ago (a lane never served first, then
 * in the order the lanes appeared). So a lane with a thousand items and a lane with one alternate,
 * instead of the one waiting behind the thousand.
 */
interface Lane<T> {
  items: T[];
  /** The turn this lane was last served in; -1: never. */
  servedAt: number;
}

export class RoundRobin<T> {
  /** Lanes in the order they appeared (a Map iterates in insertion order). */
  private readonly lanes = new Map<string, Lane<T>>();
  private turn = 0;
  private count = 0;

  /** Adds `item` at the back of `lane`'s queue. */
  push(lane: string, item: T): void {
    const existing = this.lanes.get(lane);
    if (existing) existing.items.push(item);
    else this.lanes.set(lane, { items: [item], servedAt: -1 });
    this.count++;
  }

  /** The items waiting in `lane`, oldest first. */
  waiting(lane: string): readonly T[] {
    return this.lanes.get(lane)?.items ?? [];
  }

  /** Items waiting over all lanes. */
  get size(): number {
    return this.count;
  }

  /**
   * Takes the oldest item of the lane served longest ago among those with items that `eligible`
   * accepts; undefined when there is none.
   */
  take(eligible: (lane: string) => boolean = () => true): T | undefined {
    let chosen: Lane<T> | null = null;
    for (const [key, lane] of this.lanes) {
      if (lane.items.length === 0 || (chosen && lane.servedAt >= chosen.servedAt)) continue;
      if (eligible(key)) chosen = lane;
    }
    if (!chosen) return undefined;
    chosen.servedAt = this.turn++;
    this.count--;
    return chosen.items.shift();
  }

  /**
   * Forgets an empty lane's turn (its owner has nothing waiting or running), so lanes do not pile
   * up; a lane with items is kept, whatever its owner says.
   */
  forget(lane: string): void {
    if (this.lanes.get(lane)?.items.length === 0) this.lanes.delete(lane);
  }

  /** Removes and returns every waiting item. */
  drain(): T[] {
    const all = [...this.lanes.values()].flatMap((lane) => lane.items);
    this.lanes.clear();
    this.count = 0;
    return all;
  }
}
