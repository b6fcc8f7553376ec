/**
 * Room affinity (docs/deploy.md): deploy/nginx.conf hashes requests by session id. Its `map` must pull
 * the session id out of every URL form the server actually serves for a session (sync doc names,
 * the session API routes, the host and room pages), so all of a session's traffic lands on one
 * instance; URLs without a session id spread freely.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sessionDocName, workspaceDocName } from "../../contract/doc-names.js";

const root = new URL("../../", import.meta.url).pathname;
const nginx = readFileSync(root + "deploy/nginx.conf", "utf8");

/** The `map $uri $scratchroom_session` entries as [regex, value] pairs, plus the default. */
function affinityMap(): { entries: [RegExp, string][]; fallback: string } {
  const block = /map \$uri \$scratchroom_session \{([^}]*)\}/.exec(nginx)?.[1];
  if (!block) throw new Error("no `map $uri $scratchroom_session` in deploy/nginx.conf");
  const entries: [RegExp, string][] = [];
  let fallback = "";
  for (const line of block.split("\n").map((l) => l.trim().replace(/;$/, ""))) {
    if (line === "" || line.startsWith("#")) continue;
    const [pattern, value] = line.split(/\s+/) as [string, string];
    if (pattern === "default") fallback = value;
    // nginx regexes are PCRE; the named groups used here read the same in JavaScript.
    else if (pattern.startsWith("~")) entries.push([new RegExp(pattern.slice(1)), value]);
  }
  return { entries, fallback };
}

/** What nginx would hash a request for `uri` (path only, as $uri has no query string) by. */
function hashKey(uri: string): string {
  const { entries, fallback } = affinityMap();
  for (const [re, value] of entries) {
    const m = re.exec(uri);
    if (m) return value.replace(/\$(\w+)/g, (_, name: string) => m.groups?.[name] ?? "");
  }
  return fallback;
}

/** The session API routes as the server declares them (`/sessions/:sid…` under /api). */
function sessionRoutes(): string[] {
  const source = readFileSync(root + "server/api/routes.ts", "utf8");
  return [...source.matchAll(/api\.(?:get|post|put|delete|patch)\("(\/sessions\/:sid[^"]*)"/g)].map(
    (m) => "/api" + m[1]!,
  );
}

describe("nginx room affinity", () => {
  const sid = "Ab3_x-Z9kQ";

  it("routes every sync doc of a session by its id", () => {
    expect(hashKey(`/sync/${sessionDocName(sid)}`)).toBe(sid);
    expect(hashKey(`/sync/${workspaceDocName(sid, "w1_-x")}`)).toBe(sid);
  });

  it("routes every session API route by the session id", () => {
    const routes = sessionRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const route of routes) expect(hashKey(route.replace(":sid", sid)), route).toBe(sid);
  });

  it("routes the host and room pages by the session id", () => {
    expect(hashKey(`/host/${sid}`)).toBe(sid);
    expect(hashKey(`/room/${sid}`)).toBe(sid);
  });

  it("spreads requests that name no session", () => {
    for (const uri of ["/api/sessions", "/api/join", "/api/packs", "/join/ABC123", "/assets/app.js", "/"]) {
      expect(hashKey(uri), uri).toBe("$request_id");
    }
  });

  it("keeps /metrics off the public entry point", () => {
    expect(nginx).toMatch(/location = \/metrics \{\s*return 404;/);
  });
});
