/**
 * Entry of the browser runner worker (a module Web Worker bundled by Vite) serving the `scratch`
 * library. A test or another page can serve a different library with {@link serveBrowserRuns}.
 */
import { scratchLibrary } from "../scratch/library.browser.js";
import { serveBrowserRuns } from "./browser-serve.js";

void serveBrowserRuns(async () => scratchLibrary);
