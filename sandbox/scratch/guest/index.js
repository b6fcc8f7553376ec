// @ts-check
/**
 * The whole library as one module, for programs run outside the sandbox (tests, benchmarks).
 * Inside the sandbox, "scratch" is generated per run and re-exports only the allowed parts.
 */
export * from "scratch/tensor";
export * as autograd from "scratch/autograd";
export * as nn from "scratch/nn";
export * as optim from "scratch/optim";
export * as data from "scratch/data";
export * as plot from "scratch/plot";
export * as metrics from "scratch/metrics";
export * as check from "scratch/check";
