/**
 * The dashboard's exports: progress as CSV and every workspace's code as a zip. The export route
 * needs the host key in a header, so the file is fetched and handed to the browser as a download.
 */
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { useHostSession } from "./host-session.js";

type Format = "csv" | "zip";

const LABELS: Record<Format, string> = { csv: "Export progress (CSV)", zip: "Export code (zip)" };

export function ExportButtons() {
  const { sessionId, hostKey } = useHostSession();
  const [busy, setBusy] = useState<Format | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const save = async (format: Format) => {
    setBusy(format);
    setProblem(null);
    try {
      const { blob, filename } = await api.exportFile(sessionId, hostKey, format);
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = filename ?? `scratchroom-${sessionId}.${format}`;
      document.body.append(link);
      link.click();
      link.remove();
      // Give the browser time to start the download before the URL goes away.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      setProblem(`Export failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div class="export-buttons">
      {(["csv", "zip"] as const).map((format) => (
        <button key={format} type="button" disabled={busy !== null} onClick={() => void save(format)}>
          {busy === format ? "Preparing…" : LABELS[format]}
        </button>
      ))}
      {problem && <span role="alert">{problem}</span>}
    </div>
  );
}
