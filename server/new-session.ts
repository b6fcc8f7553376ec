/**
 * `scratchroom new-session PACK [--server URL] [--title TITLE]`: creates a session on a running
 * server and prints its host and join links.
 */
import { parseArgs } from "node:util";

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { server: { type: "string" }, title: { type: "string" } },
  });
  const pack = positionals[0];
  if (!pack || positionals.length > 1) {
    console.error("usage: scratchroom new-session PACK [--server URL] [--title TITLE]");
    return 2;
  }
  const server = (
    values.server ??
    process.env.PUBLIC_URL ??
    `http://localhost:${process.env.PORT || "8080"}`
  ).replace(/\/+$/, "");
  let res: Response;
  try {
    res = await fetch(`${server}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pack, ...(values.title ? { title: values.title } : {}) }),
    });
  } catch (err) {
    console.error(`scratchroom: cannot reach ${server} (${(err as Error).message}); is the server running?`);
    return 1;
  }
  const body = (await res.json().catch(() => null)) as
    | { hostUrl: string; joinUrl: string; joinCode: string; error?: undefined }
    | { error: { code: string; message: string } }
    | null;
  if (!res.ok || !body || body.error) {
    const message = body?.error ? `${body.error.message} (${body.error.code})` : `HTTP ${res.status}`;
    console.error(`scratchroom: could not create a session: ${message}`);
    return 1;
  }
  console.log(`Host link: ${body.hostUrl}\nJoin link: ${body.joinUrl}   (join code ${body.joinCode})`);
  return 0;
}
