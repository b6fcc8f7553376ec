/**
 * Task instructions as the room shows them: the task's title is already the panel's heading, so a
 * leading `# Title` line that repeats it is dropped (packs write one so the file reads on its own).
 * Pure, tested in Node.
 */

const normalise = (text: string) => text.trim().replace(/\s+/g, " ").toLowerCase();

/** `markdown` without a first ATX H1 (`# …`) whose text is `title`; otherwise unchanged. */
export function withoutTitleHeading(markdown: string, title: string): string {
  const match = /^\s*#[ \t]+(.+?)[ \t]*#*[ \t]*(?:\r?\n|$)/.exec(markdown);
  if (!match || normalise(match[1]!) !== normalise(title)) return markdown;
  return markdown.slice(match[0].length).replace(/^\s*\n/, "");
}
