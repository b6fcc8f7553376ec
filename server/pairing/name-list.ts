/**
 * The pair plan as a host types or pastes it: one pair per line, the two names separated by a
 * comma, an ampersand, a tab or the word "and" ("Ada, Grace", "Ada & Grace", "Ada and Grace").
 * Blank lines and lines starting with "#" are skipped.
 */
import type { PairPlan } from "../storage/types.js";

export const MAX_PLANNED_PAIRS = 200;
const MAX_NAME = 60;

export type PlanCheck = { ok: true; plan: PairPlan } | { ok: false; message: string };

/** How names are compared: trimmed, inner spaces collapsed, case-insensitive. */
export function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLocaleLowerCase();
}

const SEPARATOR = /\s*(?:,|&|\t|\s+and\s+)\s*/i;

export function parseNameList(text: string): PlanCheck {
  const pairs: [string, string][] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith("#")) continue;
    const names = line.split(SEPARATOR).map((n) => n.trim());
    if (names.length !== 2 || !names[0] || !names[1]) {
      return {
        ok: false,
        message: `line ${i + 1}: expected two names separated by ",", "&", a tab or "and"`,
      };
    }
    pairs.push([names[0], names[1]]);
  }
  return checkPlan(pairs);
}

/** Checks a plan however it arrived: names valid, two different people per pair, nobody twice. */
export function checkPlan(pairs: [string, string][]): PlanCheck {
  if (pairs.length > MAX_PLANNED_PAIRS) {
    return { ok: false, message: `at most ${MAX_PLANNED_PAIRS} pairs` };
  }
  const seen = new Set<string>();
  const plan: PairPlan = [];
  for (const [index, pair] of pairs.entries()) {
    const names = pair.map((n) => n.trim().replace(/\s+/g, " ")) as [string, string];
    for (const name of names) {
      // eslint-disable-next-line no-control-regex
      if (!name || name.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(name)) {
        return { ok: false, message: `pair ${index + 1}: a name must be 1–${MAX_NAME} characters of text` };
      }
      const key = normaliseName(name);
      if (seen.has(key)) return { ok: false, message: `"${name}" appears more than once in the plan` };
      seen.add(key);
    }
    plan.push(names);
  }
  return { ok: true, plan };
}
