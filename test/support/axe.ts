/**
 * axe-core in a real browser: injects it into a page and lists its serious and critical
 * violations. The page's context needs `bypassCSP: true` (axe is injected as an inline script,
 * which the app's CSP rightly forbids).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * axe's serious and critical violations on the page as it is now (or only inside the elements
 * `selector` matches), one line each.
 */
export async function seriousViolations(page: Page, selector?: string): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (selector) => {
    const axe = (
      window as unknown as { axe: { run(context?: unknown): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    return (await axe.run(selector ? { include: [selector] } : document)).violations;
  }, selector);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`,
    );
}
