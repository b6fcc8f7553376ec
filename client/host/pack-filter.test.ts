import { describe, expect, it } from "vitest";
import type { PackSummary } from "../../contract/api.js";
import { formatDuration, groupPacks, packMatches } from "./pack-filter.js";

const pack = (id: string, track: PackSummary["track"], extra: Partial<PackSummary> = {}): PackSummary => ({
  id,
  title: id.toUpperCase(),
  track,
  duration: 60,
  level: "beginner",
  tasks: [],
  ...extra,
});

const packs = [
  pack("glm", "seminar", { title: "Generalised linear models", level: "intermediate" }),
  pack("spirals", "workshop", { title: "Train spirals", tasks: [{ id: "t", title: "Backpropagation" }] }),
  pack("demo", "demo"),
  pack("gan", "seminar", { title: "GANs", summary: "Adversarial training, à la Goodfellow" }),
];

describe("start page packs", () => {
  it("groups by track in the contract's order, keeping each track's pack order", () => {
    expect(groupPacks(packs, "").map((g) => [g.track, g.packs.map((p) => p.id)])).toEqual([
      ["workshop", ["spirals"]],
      ["seminar", ["glm", "gan"]],
      ["demo", ["demo"]],
    ]);
  });
  it("filters on title, summary, level and task titles; every word must match; accents ignored", () => {
    expect(groupPacks(packs, "backprop").flatMap((g) => g.packs.map((p) => p.id))).toEqual(["spirals"]);
    expect(groupPacks(packs, "A LA goodfellow").flatMap((g) => g.packs.map((p) => p.id))).toEqual(["gan"]);
    expect(groupPacks(packs, "seminar intermediate").flatMap((g) => g.packs.map((p) => p.id))).toEqual([
      "glm",
    ]);
    expect(groupPacks(packs, "nothing like this")).toEqual([]);
    expect(packMatches(packs[0]!, "   ")).toBe(true);
  });
  it("formats durations in minutes as hours and minutes", () => {
    expect(formatDuration(45)).toBe("45 min");
    expect(formatDuration(180)).toBe("3 h");
    expect(formatDuration(90)).toBe("1 h 30 min");
  });
});
