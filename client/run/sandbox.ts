/**
 * The room's one sandbox runner: a Web Worker running QuickJS with the `scratch` library
 * (sandbox/runner/browser.ts), started when the room opens so the first Run does not pay for
 * compiling QuickJS and initialising the library.
 */
import { createBrowserRunner, type BrowserRunner } from "../../sandbox/runner/browser.js";

let runner: Promise<BrowserRunner> | null = null;

export function sandboxRunner(): Promise<BrowserRunner> {
  runner ??= (async () => {
    const created = createBrowserRunner();
    await created.ready();
    return created;
  })();
  // A runner that failed to start is not kept: the next Run tries again.
  runner.catch(() => {
    runner = null;
  });
  return runner;
}
