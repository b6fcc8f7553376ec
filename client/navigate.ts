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

export function navigate(path: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  for (const l of listeners) l();
}

if (typeof window !== "undefined") window.addEventListener("popstate", () => listeners.forEach((l) => l()));
