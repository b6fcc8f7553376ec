import { afterEach, describe, expect, it, vi } from "vitest";
import { loadProgress } from "./session-events.js";

afterEach(() => vi.unstubAllGlobals());

describe("loadProgress", () => {
  it("shares one request among the panels that ask while it is in flight, then asks again", async () => {
    const progress = { sessionId: "s1", tasks: [], participants: [], verifyQueue: { queued: 0, running: 0 } };
    const fetch = vi.fn(async () => new Response(JSON.stringify(progress), { status: 200 }));
    vi.stubGlobal("fetch", fetch);
    const [a, b] = await Promise.all([loadProgress("s1", "key"), loadProgress("s1", "key")]);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(a).toEqual(progress);
    expect(b).toBe(a);
    await loadProgress("s1", "key");
    await loadProgress("s2", "key");
    expect(fetch).toHaveBeenCalledTimes(3);
  });
});
