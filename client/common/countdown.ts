/**
 * The stage timer's countdown text.
 */

/** "4:05" for the time left until `endsAt`; "0:00" once it has passed. */
export function formatCountdown(endsAt: number, now: number): string {
  const total = Math.max(0, Math.ceil((endsAt - now) / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}
