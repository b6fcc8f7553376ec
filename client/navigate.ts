/**
 * In-app navigation: joining moves to the room without reloading the page (the room's code is
 * already fetched by then), so the editor is usable sooner.
 */
type Listener = () => void;
const listeners = new Set<Listener>();

export function onNavigate(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Goes to `path` (a path, or a URL that may be on another origin, e.g. a configured PUBLIC_URL). */
export function navigate(path: string, { replace = false } = {}): void {
  const target = new URL(path, window.location.href);
  if (target.origin !== window.location.origin) {
    window.location.assign(target.href);
    return;
  }
  path = target.pathname + target.search + target.hash;
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  for (const l of listeners) l();
}

if (typeof window !== "undefined") window.addEventListener("popstate", () => listeners.forEach((l) => l()));
