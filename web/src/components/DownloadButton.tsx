/**
 * Downloads a model's or dataset's stored files. The URLs are presigned and short-lived, so they
 * are asked for at the click, not when the page loads; each file arrives as an attachment.
 */
import { useState } from "react";
import { describeError, request } from "../api/graphql";
import { DATASET_DOWNLOADS, MODEL_DOWNLOADS } from "../api/ops";

export function DownloadButton({ kind, id }: { kind: "model" | "dataset"; id: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const files =
        kind === "model" ? (await request(MODEL_DOWNLOADS, { id })).model.downloads : (await request(DATASET_DOWNLOADS, { id })).dataset.downloads;
      for (const file of files) {
        const link = document.createElement("a");
        link.href = file.url;
        link.download = file.name;
        link.rel = "noopener";
        document.body.append(link);
        link.click();
        link.remove();
      }
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="link-button" onClick={() => void download()} disabled={busy} aria-label={`Download the ${kind}'s files`}>
        Download
      </button>
      {error && <span className="error"> {error}</span>}
    </>
  );
}
