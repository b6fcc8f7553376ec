// @ts-check
/**
 * The run's check token. This public instance holds null; the sandbox gives the check modules'
 * own instance of `scratch/check` a private one holding the run's secret, the only token the host
 * accepts a check result with (sandbox/runner/checks.ts). Internal to `scratch`.
 */
export const token = null;
