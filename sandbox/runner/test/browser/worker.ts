/** Browser worker serving the test library (built by Vite for browser.test.ts). */
import { serveBrowserRuns } from "../../browser-serve.js";
import { library } from "../library.js";

void serveBrowserRuns(async () => library);
