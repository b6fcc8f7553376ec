/** The start page's "Upload a pack" form: a zip in, the server's verdict (problems by file:line) out. */
import { useEffect, useState } from "preact/hooks";
import type { PackSummary } from "../api.js";
import {
  problemLine,
  uploadPack,
  uploadPolicy,
  type UploadOutcome,
  type UploadPolicy,
} from "./pack-upload.js";

export function PackUpload({ onUploaded }: { onUploaded: (pack: PackSummary) => void }) {
  const [policy, setPolicy] = useState<UploadPolicy | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<UploadOutcome | null>(null);

  useEffect(() => {
    uploadPolicy().then(setPolicy, () => setPolicy({ policy: "off", maxBytes: 0 }));
  }, []);
  if (policy === null || policy.policy === "off") return null;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setOutcome(null);
    const result = await uploadPack(file, policy.policy === "key" ? key : undefined);
    setBusy(false);
    setOutcome(result);
    if (result.ok) onUploaded(result.pack);
  };

  return (
    <section class="pack-upload" aria-label="Upload a pack">
      <h2>Upload a pack</h2>
      <p class="muted">
        A zip of a pack folder (see the pack guide, sessions/README.md). The server checks it as{" "}
        <code>scratchroom verify</code> does before it lists it.
      </p>
      <form onSubmit={(e) => void submit(e)}>
        <label class="inline">
          Pack zip
          <input
            type="file"
            accept=".zip,application/zip"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </label>
        {policy.policy === "key" && (
          <label class="inline">
            Upload key
            <input type="password" value={key} onInput={(e) => setKey(e.currentTarget.value)} />
          </label>
        )}
        <button type="submit" disabled={!file || busy}>
          {busy ? "Checking the pack…" : "Upload"}
        </button>
      </form>
      {outcome?.ok === true && (
        <p role="status">
          Uploaded “{outcome.pack.title}” ({outcome.pack.id}): it is listed below.
        </p>
      )}
      {outcome?.ok === false && (
        <div role="alert">
          <p>The pack was not accepted: {outcome.message}</p>
          {outcome.problems.length > 0 && (
            <ul class="upload-problems" aria-label="Problems">
              {outcome.problems.map((p, i) => (
                <li key={i}>
                  <code>{problemLine(p)}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
