/**
 * The server's token-signing secret: SECRET from the environment, or one generated on first start
 * and kept in DATA_DIR/secret (mode 0600) so tokens survive restarts.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function loadSecret(dataDir: string, fromEnv: string | null): Buffer {
  if (fromEnv !== null) return Buffer.from(fromEnv, "utf8");
  const file = join(dataDir, "secret");
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return Buffer.from(stored, "base64url");
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString("base64url") + "\n", { mode: 0o600 });
  return secret;
}
