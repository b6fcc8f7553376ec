/**
 * The start page (`/`): the server's packs grouped by track (uploaded ones marked), narrowed by a
 * text filter, each with its level, duration and tasks, and a button to open a session of one; the
 * pack upload form when the server takes uploads.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, type PackSummary } from "../api.js";
import { saveHostKey } from "../common/seat.js";
import { navigate } from "../navigate.js";
import { formatDuration, groupPacks, TRACK_TITLES } from "./pack-filter.js";
import { PackUpload } from "./PackUpload.js";

export function StartPage() {
  const [packs, setPacks] = useState<PackSummary[] | null>(null);
  const [title, setTitle] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [query, setQuery] = useState("");
  const groups = useMemo(() => groupPacks(packs ?? [], query), [packs, query]);
  const shown = groups.reduce((n, g) => n + g.packs.length, 0);

  const loadPacks = () =>
    api
      .packs()
      .then(setPacks, (error: unknown) => setMessage(error instanceof Error ? error.message : String(error)));
  useEffect(() => void loadPacks(), []);

  const create = async (pack: string) => {
    setBusy(pack);
    setMessage(null);
    try {
      const created = await api.createSession(pack, title.trim() || undefined);
      saveHostKey(localStorage, created.sessionId, created.hostKey);
      navigate(created.hostUrl);
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
      setBusy(null);
    }
  };

  return (
    <main class="page">
      <h1>Scratchroom</h1>
      <p class="lead">Open a session of a pack, then share the join link or code with the room.</p>
      <p>
        Joining a session? <a href="/join">Enter a code</a>.
      </p>
      <label class="inline">
        Session title (optional)
        <input value={title} maxLength={120} onInput={(e) => setTitle(e.currentTarget.value)} />
      </label>
      {message && <p role="alert">{message}</p>}
      {packs === null && !message && <p role="status">Loading packs…</p>}
      {packs !== null && (
        <div class="pack-filter">
          <label class="inline">
            Filter packs
            <input
              type="search"
              value={query}
              placeholder="title, topic, level, task…"
              onInput={(e) => setQuery(e.currentTarget.value)}
            />
          </label>
          <span class="muted" role="status" aria-live="polite">
            {query.trim()
              ? shown === 0
                ? `No pack matches “${query.trim()}”.`
                : `${shown} of ${packs.length} packs`
              : `${packs.length} packs`}
          </span>
        </div>
      )}
      {groups.map((group) => (
        <section key={group.track} class="pack-track" aria-labelledby={`track-${group.track}`}>
          <h2 id={`track-${group.track}`}>
            {TRACK_TITLES[group.track]} <span class="muted">({group.packs.length})</span>
          </h2>
          <ul class="packs" aria-label={TRACK_TITLES[group.track]}>
            {group.packs.map((pack) => (
              <li key={pack.id} class="pack" data-pack={pack.id}>
                <h3>
                  {pack.title}
                  {pack.uploaded && <span class="badge">uploaded</span>}
                </h3>
                <p class="pack-meta">
                  <span class={`level level-${pack.level}`}>{pack.level}</span> ·{" "}
                  <span class="duration">{formatDuration(pack.duration)}</span> · {pack.tasks.length}{" "}
                  {pack.tasks.length === 1 ? "task" : "tasks"}
                </p>
                {pack.summary && <p class="muted">{pack.summary}</p>}
                <ol>
                  {pack.tasks.map((t) => (
                    <li key={t.id}>{t.title}</li>
                  ))}
                </ol>
                <button
                  type="button"
                  class="primary"
                  disabled={busy !== null}
                  onClick={() => void create(pack.id)}
                  aria-label={`Start session of ${pack.title}`}
                >
                  {busy === pack.id ? "Starting…" : "Start session"}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <PackUpload onUploaded={() => void loadPacks()} />
    </main>
  );
}
