/**
 * `scratchroom new-session PACK [--server URL] [--title TITLE]`: creates a session on a running
 * server and prints its host and join links.
 */
import { parseArgs } from "node:util";

const USAGE = `usage: scratchroom new-session PACK [--server URL] [--title TITLE]

Creates a session of pack PACK on a running server and prints its host and join links.
  --server URL   the server (default: PUBLIC_URL, else http://localhost:$PORT, else :8080)
  --title TITLE  the session's title (default: the pack's)`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        server: { type: "string" },
        title: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const pack = positionals[0];
  if (!pack || positionals.length > 1) {
    console.error(USAGE);
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
