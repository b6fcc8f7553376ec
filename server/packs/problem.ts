/**
 * A problem found in a session pack: the file, the line when known, and what is wrong.
 */
export interface PackProblem {
  /** Path of the file inside the pack. */
  file: string;
  line?: number;
  message: string;
}
