/**
 * Join codes: 6 characters an attendee can read off a projector and type, from an alphabet with
 * no look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V). 23^6 ≈ 148 million codes.
 */
import { randomInt } from "node:crypto";

export const JOIN_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTWXY";
export const JOIN_CODE_LENGTH = 6;

export function newJoinCode(): string {
  let code = "";
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/**
 * The canonical form of what someone typed: upper-cased, spaces and dashes dropped. Look-alikes
 * are not mapped: they appear in no code, so a mistyped code is refused rather than silently
 * matching another session.
 */
export function normaliseJoinCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, "");
}

export function isJoinCode(code: string): boolean {
  return code.length === JOIN_CODE_LENGTH && [...code].every((ch) => JOIN_CODE_ALPHABET.includes(ch));
}
