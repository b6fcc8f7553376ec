import { describe, expect, it } from "vitest";
import { checkPlan, normaliseName, parseNameList } from "./name-list.js";

describe("pair plan name lists", () => {
  it("reads one pair per line with comma, ampersand, tab or 'and' between the names", () => {
    const text =
      "Ada, Grace\n# comment\n\nAlan & Édouard\nKen\tBarbara\r\n  Margaret  AND  Katherine Johnson \n";
    expect(parseNameList(text)).toEqual({
      ok: true,
      plan: [
        ["Ada", "Grace"],
        ["Alan", "Édouard"],
        ["Ken", "Barbara"],
        ["Margaret", "Katherine Johnson"],
      ],
    });
  });

  it("keeps 'and' inside a name", () => {
    expect(parseNameList("Andrea and Sandra")).toEqual({ ok: true, plan: [["Andrea", "Sandra"]] });
  });

  it("names the line that does not hold exactly two names", () => {
    expect(parseNameList("Ada, Grace\nAlan")).toEqual({
      ok: false,
      message: 'line 2: expected two names separated by ",", "&", a tab or "and"',
    });
    expect(parseNameList("Ada, Grace, Alan")).toMatchObject({ ok: false, message: /^line 1:/ });
    expect(parseNameList("Ada, ")).toMatchObject({ ok: false, message: /^line 1:/ });
  });

  it("refuses a person planned twice, even in another case or spacing", () => {
    expect(parseNameList("Ada, Grace\nada , Alan")).toEqual({
      ok: false,
      message: '"ada" appears more than once in the plan',
    });
    expect(checkPlan([["Ada  Lovelace", "ada lovelace"]])).toMatchObject({ ok: false });
  });

  it("refuses over-long names, control characters and too many pairs", () => {
    expect(checkPlan([["x".repeat(61), "Grace"]])).toMatchObject({ ok: false, message: /1–60/ });
    expect(checkPlan([["Ada\u0007", "Grace"]])).toMatchObject({ ok: false });
    const many = Array.from({ length: 201 }, (_, i): [string, string] => [`a${i}`, `b${i}`]);
    expect(checkPlan(many)).toEqual({ ok: false, message: "at most 200 pairs" });
    expect(checkPlan([])).toEqual({ ok: true, plan: [] });
  });

  it("compares names trimmed, spaces collapsed, case-insensitively", () => {
    expect(normaliseName("  Ada   LOVELACE ")).toBe("ada lovelace");
  });
});
