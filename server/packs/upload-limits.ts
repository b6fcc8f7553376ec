/**
 * The limits of a pack upload (upload.ts checks them), apart so that the routes can state them
 * without loading the upload checks (fflate, the pack loader) at startup.
 */
export const UPLOAD_LIMITS = {
  /** Largest zip accepted. */
  zipBytes: 2 * 1024 * 1024,
  /** Most files in it. */
  files: 300,
  /** Largest file, inflated. */
  fileBytes: 1024 * 1024,
  /** All files together, inflated. */
  totalBytes: 8 * 1024 * 1024,
  /** Most tasks (each is verified on upload). */
  tasks: 20,
} as const;
