/**
 * CSV for spreadsheets (RFC 4180): every text field quoted, quotes doubled, rows ended with CRLF.
 *
 * Text a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage return
 * that some spreadsheets skip before looking for one) gets a leading apostrophe, so an attendee
 * named `=HYPERLINK(…)` stays a name when the host opens the export (OWASP "CSV injection").
 */

export type CsvValue = string | number | boolean | null;

/** One field: numbers and booleans as they are, null as empty, text quoted and neutralised. */
export function csvField(value: CsvValue): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** A header row and data rows as one CSV document. */
export function csvDocument(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(",") + "\r\n").join("");
}
