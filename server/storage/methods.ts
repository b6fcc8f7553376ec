/**
 * The methods of the two stores by name, once: what a wrapper passes through (generated from these
 * lists). The type checker keeps the lists equal to
 * the interfaces (types.ts): a method added there and not here, or named here and not there, does
 * not compile.
 */
import type { DocumentStore, RecordStore } from "./types.js";

export const RECORD_METHODS = [
  "createSession",
  "getSession",
  "getSessionByJoinCode",
  "addParticipant",
  "getParticipant",
  "listParticipants",
  "getWorkspace",
  "getAccessRecords",
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

// Compile-time: no method of either store is missing from its list.
type Unlisted =
  | Exclude<keyof RecordStore, (typeof RECORD_METHODS)[number]>
  | Exclude<keyof DocumentStore, (typeof DOCUMENT_METHODS)[number]>;
const everyMethodListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyMethodListed;

/** One call to a store: a method and its arguments. */
export type Forward<M extends string> = (method: M, args: unknown[]) => Promise<unknown>;

/** An object with each method of `methods`, each handing its name and arguments to `forward`. */
function forwarding<S, M extends keyof S & string>(methods: readonly M[], forward: Forward<M>): Pick<S, M> {
  return Object.fromEntries(
    methods.map((method) => [method, (...args: unknown[]) => forward(method, args)]),
  ) as unknown as Pick<S, M>;
}

/** A RecordStore whose every method hands its name and arguments to `forward`. */
export const forwardingRecords = (forward: Forward<(typeof RECORD_METHODS)[number]>): RecordStore =>
  forwarding<RecordStore, (typeof RECORD_METHODS)[number]>(RECORD_METHODS, forward);

/** A DocumentStore whose every method hands its name and arguments to `forward`. */
export const forwardingDocuments = (forward: Forward<(typeof DOCUMENT_METHODS)[number]>): DocumentStore =>
  forwarding<DocumentStore, (typeof DOCUMENT_METHODS)[number]>(DOCUMENT_METHODS, forward);

/** Every method of `target`, passed straight through (for wrappers that change one or two). */
export function passThroughRecords(target: RecordStore): RecordStore {
  return forwardingRecords((method, args) =>
    (target[method] as (...a: unknown[]) => Promise<unknown>).apply(target, args),
  );
}

/** Every method of `target`, passed straight through (for wrappers that change one or two). */
export function passThrough(target: DocumentStore): DocumentStore {
  return forwardingDocuments((method, args) =>
    (target[method] as (...a: unknown[]) => Promise<unknown>).apply(target, args),
  );
}
