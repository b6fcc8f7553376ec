/**
 * Names at join are unique within a session: a name somebody already has (compared as the pair plan
 * compares them: trimmed, spaces collapsed, case-insensitive) gets the first free suffix " (2)",
 * " (3)"…, which the attendee is shown. The dashboard never has two identical rows.
 */
import { MAX_NAME_LENGTH } from "../../contract/api.js";
import { normaliseName } from "../pairing/name-list.js";

/** `wanted`, or `wanted (n)` with the smallest n ≥ 2 that nobody in `taken` has; at most 60 characters. */
export function seatName(wanted: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map(normaliseName));
  if (!used.has(normaliseName(wanted))) return wanted;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    // Whole characters only: never half of a surrogate pair.
    let base = "";
    for (const char of wanted) {
      if (base.length + char.length + suffix.length > MAX_NAME_LENGTH) break;
      base += char;
    }
    base = base.trimEnd();
    const name = `${base}${suffix}`;
    if (!used.has(normaliseName(name))) return name;
  }
}
