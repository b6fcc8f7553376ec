/**
 * The selected task's given code: the pack's own modules (`import … from "pack/<name>"`), shown
 * read-only beside the instructions so an attendee can read what their starter imports.
 */
export function GivenModules({ modules }: { modules: Record<string, string> | undefined }) {
  const entries = Object.entries(modules ?? {});
  if (entries.length === 0) return null;
  return (
    <section class="given-modules" aria-label="Given code">
      <h4>Given code</h4>
      {entries.map(([specifier, source]) => (
        <details key={specifier}>
          <summary>
            <code>{specifier}</code>
          </summary>
          <pre class="given-source">
            <code>{source}</code>
          </pre>
        </details>
      ))}
    </section>
  );
}
