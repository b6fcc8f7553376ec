/**
 * Where Debian's Chromium is and how to launch it here. Kept apart from requirements.ts (which
 * needs vitest) so benchmarks run outside vitest can launch it too.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags for Debian's Chromium on a machine with no network and no GPU, running as root. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
