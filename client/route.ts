/** Which page a path shows. The server answers every one of these paths with index.html. */
export type Route =
  | { page: "start" }
  | { page: "join"; code: string; expired: boolean }
  | { page: "room"; sessionId: string }
  | { page: "host"; sessionId: string }
  | { page: "summary"; sessionId: string }
  | { page: "not-found" };

export function routeFor(pathname: string, search = ""): Route {
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponentSafe);
  if (parts.length === 0) return { page: "start" };
  const [head, arg, ...rest] = parts;
  if (rest.length > 0) return { page: "not-found" };
  if (head === "join")
    return { page: "join", code: arg ?? "", expired: new URLSearchParams(search).has("expired") };
  if (head === "room" && arg) return { page: "room", sessionId: arg };
  if (head === "host" && arg) return { page: "host", sessionId: arg };
  if (head === "summary" && arg) return { page: "summary", sessionId: arg };
  return { page: "not-found" };
}

function decodeURIComponentSafe(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
