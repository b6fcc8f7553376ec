/**
 * Text rules of the contract: what attendee text may be stored and sent anywhere.
 */
import { z } from "zod";

/**
 * Attendee text made storable anywhere: NUL and unpaired surrogates (which PostgreSQL's JSONB
 * refuses) become U+FFFD. Everything else, HTML included, is kept as written: clients show it as text.
 */
export function storableText(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );
}

/** A string of at most `max` characters, made storable. */
export const storableString = (max: number) => z.string().max(max).transform(storableText);

/** Bytes of `text` as UTF-8 (in Node and in the browser alike). */
const encoder = new TextEncoder();
export const utf8Bytes = (text: string): number => encoder.encode(text).length;

/** An id as the server makes them and as packs name tasks: 1–64 characters. */
export const id = z.string().min(1).max(64);
