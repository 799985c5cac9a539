/**
 * "Share comparison": a view-only link to these surfaces, in this order, opening with the page's
 * settings. It never changes who may see their projects; it is listed on each project's sharing
 * panel, where it can be revoked.
 */
import { useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { CREATE_COMPARE_LINK } from "../api/ops";
import { Notice } from "./feedback";

export function ShareCompareButton({ surfaceIds, view }: { surfaceIds: string[]; view: string }) {
  const [link, setLink] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  const make = async () => {
    try {
      const payload = await mutate(CREATE_COMPARE_LINK, { surfaceIds, view }, "createCompareLink");
      const url = `${window.location.origin}${payload.link!.path}`;
      setLink(url);
      await navigator.clipboard?.writeText(url).catch(() => undefined);
      setNotice({ message: "A view-only link to these surfaces alone, with these settings, is ready (copied if the browser allowed it). Their projects stay as they are; revoke the link on a project's sharing panel.", tone: "ok" });
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    }
  };
  return (
    <div className="share-compare">
      <button type="button" onClick={() => void make()}>Share comparison</button>
      {link && <input className="share-link" readOnly value={link} aria-label="Comparison link" data-testid="compare-share-link" onFocus={(e) => e.target.select()} />}
      <Notice message={notice?.message ?? null} tone={notice?.tone} />
    </div>
  );
}
