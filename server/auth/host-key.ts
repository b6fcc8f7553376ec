/**
 * Host keys: the bearer secret that makes someone the host of a session.
 *
 * Only a SHA-256 of the key is stored; comparison is constant-time so response timing reveals
 * nothing about the stored hash.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A fresh host key: 32 random bytes, base64url (43 characters, no dots). */
export function newHostKey(): string {
  return randomBytes(32).toString("base64url");
}

export function hashHostKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Whether `presented` is the key whose hash is `storedHash`. */
export function hostKeyMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashHostKey(presented), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
