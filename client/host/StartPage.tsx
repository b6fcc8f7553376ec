/**
 * The start page (`/`): the server's packs (uploaded ones marked), a button to open a session of
 * one, and the pack upload form when the server takes uploads.
 */
import { useEffect, useState } from "preact/hooks";
import { api, type PackSummary } from "../api.js";
import { saveHostKey } from "../common/seat.js";
import { navigate } from "../navigate.js";
import { PackUpload } from "./PackUpload.js";

export function StartPage() {
  const [packs, setPacks] = useState<PackSummary[] | null>(null);
  const [title, setTitle] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

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
      <ul class="packs" aria-label="Packs">
        {packs?.map((pack) => (
          <li key={pack.id} class="pack">
            <h2>
              {pack.title}
              {pack.uploaded && <span class="badge">uploaded</span>}
            </h2>
            <p class="muted">
              {pack.track} · {pack.tasks.length} {pack.tasks.length === 1 ? "task" : "tasks"}
            </p>
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
              aria-label={`Start a session of ${pack.title}`}
            >
              {busy === pack.id ? "Starting…" : "Start session"}
            </button>
          </li>
        ))}
      </ul>
      <PackUpload onUploaded={() => void loadPacks()} />
    </main>
  );
}
