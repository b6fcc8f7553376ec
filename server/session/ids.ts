/** Ids of sessions, participants and workspaces: 9 random bytes, base64url (12 characters). */
import { randomBytes } from "node:crypto";

export const newId = (): string => randomBytes(9).toString("base64url");
