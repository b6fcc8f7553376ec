import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../sandbox/events.js";
import { referenceOps } from "../../sandbox/scratch/kernels/oracle.js";
import { GUIDE_PATH, renderGuide } from "./guide.js";

describe("the host's guide (sessions/README.md)", () => {
  const committed = readFileSync(GUIDE_PATH, "utf8");

  it("carries the generated blocks as the code makes them (run `npx tsx server/packs/guide.ts`)", () => {
    expect(committed).toBe(renderGuide(committed));
  });

  it("states the facts hosts asked for", () => {
    expect(committed).toContain(`| live tensors | ${DEFAULT_LIMITS.tensorCount.toLocaleString("en-GB")} |`);
    for (const op of ["matmul", "crossEntropy", "conv2d"]) {
      expect(Object.keys(referenceOps)).toContain(op);
      expect(committed).toContain(`\`${op}\``);
    }
    expect(committed).toContain('The dashboard\'s **Loss** column is the metric named exactly `"loss"`');
    expect(committed).toContain("in the **browser too**");
    expect(committed).toContain("as a heading **above** `instructions.md`");
    expect(committed).toContain("**300 px wide**");
    expect(committed).toMatch(/\| `id` \| all \|/);
    expect(committed).toContain("npx prettier --write sessions/my-pack");
  });

  it("refuses a guide that lost a block's markers", () => {
    expect(() => renderGuide(committed.replace("<!-- generated:cli:end -->", ""))).toThrow(/generated:cli/);
  });
});
