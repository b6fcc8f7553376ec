/**
 * The `scratch` library as the runner sees it (Node build). The browser build imports
 * ./library.browser.js instead, which bundles the same guest sources with Vite.
 */
export { scratchLibrary } from "./library.node.js";
