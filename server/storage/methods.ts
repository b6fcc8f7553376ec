/**
 * The storage methods by name, once: what the worker-thread proxy forwards and what a wrapper
 * passes through. The type checker keeps the lists equal to the interfaces (types.ts): a method
 * added there and not here, or named here and not there, does not compile.
 */
import type { DocumentStore, RecordStore, Storage } from "./types.js";

export const RECORD_METHODS = [
  "createSession",
  "getSession",
  "getSessionByJoinCode",
  "addParticipant",
  "getParticipant",
  "listParticipants",
  "getWorkspace",
  "listWorkspaces",
  "moveParticipant",
  "getPairPlan",
  "setPairPlan",
  "addRun",
  "listRuns",
  "listWorkspaceRuns",
  "addVerification",
  "listVerifications",
  "addReveal",
  "listReveals",
  "addHintRequest",
  "listHintRequests",
  "addQuestion",
  "listQuestions",
  "markQuestionDone",
  "addSnapshot",
  "listSnapshots",
  "getSnapshot",
  "loadHistory",
] as const satisfies readonly (keyof RecordStore)[];

export const DOCUMENT_METHODS = [
  "appendUpdates",
  "loadDoc",
  "countUpdates",
  "compactDoc",
  "compactLog",
] as const satisfies readonly (keyof DocumentStore)[];

export const STORAGE_METHODS = [...RECORD_METHODS, ...DOCUMENT_METHODS] as const;

/** Every method of the two stores (not `kind`, not `close`). */
export type StorageMethod = (typeof STORAGE_METHODS)[number];
export type StorageMethods = Pick<Storage, StorageMethod>;

// Compile-time: no method of either store is missing from the lists.
type Unlisted = Exclude<keyof RecordStore | keyof DocumentStore, StorageMethod>;
const everyMethodListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyMethodListed;

/** One storage call: a method and its arguments. */
export type Forward = (method: StorageMethod, args: unknown[]) => Promise<unknown>;

/** An object with every storage method, each handing its name and arguments to `forward`. */
export function forwardingMethods(forward: Forward): StorageMethods {
  return Object.fromEntries(
    STORAGE_METHODS.map((method) => [method, (...args: unknown[]) => forward(method, args)]),
  ) as unknown as StorageMethods;
}

/** Every storage method of `target`, passed straight through (for wrappers that change one or two). */
export function passThrough(target: Storage): StorageMethods {
  return forwardingMethods((method, args) =>
    (target[method] as (...a: unknown[]) => Promise<unknown>).apply(target, args),
  );
}
