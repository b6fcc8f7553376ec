/** How the history timeline writes times and failures. */

/** A version's time of day, to the second. */
export const timeOfDay = (at: number): string =>
  new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** A failure's message. */
export const problemText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
