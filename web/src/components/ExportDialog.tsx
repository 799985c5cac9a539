/**
 * The figure export dialog: format (PNG, SVG, PDF), theme (paper or dark), size in inches or
 * pixels with the column presets of two-column papers, and DPI, with a preview of the figure as it
 * will be written. The choice is kept for the user on the server (and in this browser for
 * someone not signed in), so it is the same the next time, in any browser.
 */
import { useEffect, useRef, useState } from "react";
import { describeError, mutate, request } from "../api/graphql";
import { EXPORT_SETTINGS, SAVE_EXPORT_SETTINGS } from "../api/export-ops";
import type { FigureFormat as ApiFormat, FigureTheme as ApiTheme, SizeUnit as ApiUnit } from "../api/gql/graphql";
import { figureFile } from "../plot/figure/files";
import { DEFAULT_EXPORT, type ExportChoice, type FigureFormat, type FigureSize, type FigureThemeName, SIZE_PRESETS, sizeInPixels } from "../plot/figure/theme";

/** Bounds the server keeps too (domain/export-settings.ts). */
const LIMITS = { in: [1, 20], px: [100, 10_000], dpi: [72, 1200] } as const;
const LOCAL_KEY = "lossatlas.export";

export interface ExportDialogProps {
  /** The file's name without its extension. */
  slug: string;
  /** The figure as SVG in a theme and size; null where the view has none (3D). */
  svgOf: ((theme: FigureThemeName, size: FigureSize) => string) | null;
  /** A raster of a view with no vector figure (3D): PNG only. */
  rasterOf?: (theme: FigureThemeName) => Promise<Blob>;
  /** Height over width of the figure at its best, for the column presets. */
  aspect: number;
  onClose: () => void;
  onNotice: (n: { message: string; tone: "ok" | "error" }) => void;
}

/** What is wrong with a size or DPI, or null. */
export function sizeProblem(c: FigureSize): string | null {
  const [lo, hi] = LIMITS[c.unit];
  if (![c.width, c.height].every((v) => Number.isFinite(v) && v >= lo && v <= hi)) return `Width and height are ${lo} to ${hi} ${c.unit === "in" ? "inches" : "pixels"}`;
  if (!(Number.isInteger(c.dpi) && c.dpi >= LIMITS.dpi[0] && c.dpi <= LIMITS.dpi[1])) return `DPI is a whole number from ${LIMITS.dpi[0]} to ${LIMITS.dpi[1]}`;
  return null;
}

function fromApi(s: { theme: ApiTheme; format: ApiFormat; width: number; height: number; unit: ApiUnit; dpi: number }): ExportChoice {
  return { theme: s.theme === "PAPER" ? "paper" : "dark", format: s.format.toLowerCase() as FigureFormat, width: s.width, height: s.height, unit: s.unit === "IN" ? "in" : "px", dpi: s.dpi };
}

function readLocal(): ExportChoice | null {
  try {
    const saved = JSON.parse(localStorage.getItem(LOCAL_KEY) ?? "null") as ExportChoice | null;
    return saved && sizeProblem(saved) === null ? { ...DEFAULT_EXPORT, ...saved } : null;
  } catch {
    return null;
  }
}

/**
 * The kept choice, its height refitted to this figure when its proportions are far from the
 * figure's own (a single plot's height on a row of panels leaves most of the page empty).
 */
export function fitted(choice: ExportChoice, aspect: number): ExportChoice {
  const ratio = choice.height / choice.width / aspect;
  if (ratio > 0.75 && ratio < 1.33) return choice;
  const height = choice.unit === "in" ? Math.round(choice.width * aspect * 100) / 100 : Math.round(choice.width * aspect);
  const [lo, hi] = LIMITS[choice.unit];
  return { ...choice, height: Math.min(hi, Math.max(lo, height)) };
}

export function ExportDialog({ slug, svgOf, rasterOf, aspect, onClose, onNotice }: ExportDialogProps) {
  const [choice, setChoice] = useState<ExportChoice | null>(null);
  const [signedIn, setSignedIn] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    request(EXPORT_SETTINGS).then(
      ({ exportSettings }) => {
        if (!live) return;
        setSignedIn(exportSettings !== null);
        setChoice(fitted(exportSettings ? fromApi(exportSettings) : readLocal() ?? DEFAULT_EXPORT, aspect));
      },
      () => live && setChoice(fitted(readLocal() ?? DEFAULT_EXPORT, aspect)),
    );
    return () => { live = false; };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const formats: FigureFormat[] = svgOf ? ["pdf", "svg", "png"] : ["png"];
  const format = choice && formats.includes(choice.format) ? choice.format : formats[0]!;
  const problem = choice ? sizeProblem(choice) : null;
  // The page redraws often (the pointer over the plot): the preview is made once things rest, and
  // kept when the figure has not changed.
  const [preview, setPreview] = useState<{ svg: string; url: string } | null>(null);
  const shown = useRef(preview);
  shown.current = preview;
  useEffect(() => {
    if (!choice || problem || !svgOf) return;
    const timer = setTimeout(() => {
      const svg = svgOf(choice.theme, choice);
      setPreview((old) => {
        if (old?.svg === svg) return old;
        if (old) URL.revokeObjectURL(old.url);
        return { svg, url: URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" })) };
      });
    }, 150);
    return () => clearTimeout(timer);
  }, [choice, problem, svgOf]);
  useEffect(() => () => { if (shown.current) URL.revokeObjectURL(shown.current.url); }, []);
  if (!choice) return <div className="export-dialog" role="dialog" aria-label="Export figure"><p className="muted">Loading your export settings…</p></div>;

  const set = (patch: Partial<ExportChoice>) => setChoice({ ...choice, ...patch });
  const setUnit = (unit: "in" | "px") => {
    if (unit === choice.unit) return;
    // The same figure in the other unit, at the DPI.
    const f = unit === "px" ? choice.dpi : 1 / choice.dpi;
    const round = (v: number) => (unit === "px" ? Math.round(v * f) : Math.round(v * f * 100) / 100);
    set({ unit, width: round(choice.width), height: round(choice.height) });
  };
  const pixels = sizeInPixels(choice);
  const download = async () => {
    setBusy(true);
    try {
      const blob = svgOf ? await figureFile(svgOf(choice.theme, choice), format, choice) : await rasterOf!(choice.theme);
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `${slug}-${choice.theme}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      // A view with PNG alone (3D) keeps the format chosen for the others.
      const kept = { ...choice, format: svgOf ? format : choice.format };
      localStorage.setItem(LOCAL_KEY, JSON.stringify(kept));
      if (signedIn) {
        const input = { theme: kept.theme.toUpperCase() as ApiTheme, format: kept.format.toUpperCase() as ApiFormat, width: kept.width, height: kept.height, unit: kept.unit.toUpperCase() as ApiUnit, dpi: kept.dpi };
        await mutate(SAVE_EXPORT_SETTINGS, { input }, "saveExportSettings");
      }
    } catch (e) {
      onNotice({ message: `The figure could not be exported: ${describeError(e)}`, tone: "error" });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="export-dialog" role="dialog" aria-labelledby="export-title" data-testid="export-dialog">
      <div className="section-head">
        <h2 id="export-title">Export figure</h2>
        <button type="button" onClick={onClose} aria-label="Close the export dialog">Close</button>
      </div>
      <div className="export-form">
        <div className="segmented" role="group" aria-label="Format">
          {formats.map((f) => <button key={f} type="button" aria-pressed={format === f} onClick={() => set({ format: f })}>{f.toUpperCase()}</button>)}
        </div>
        <div className="segmented" role="group" aria-label="Theme">
          {(["paper", "dark"] as const).map((t) => <button key={t} type="button" aria-pressed={choice.theme === t} onClick={() => set({ theme: t })}>{t === "paper" ? "Paper (light)" : "Dark"}</button>)}
        </div>
        <div className="segmented" role="group" aria-label="Size preset">
          {SIZE_PRESETS.map((p) => {
            const on = choice.unit === "in" && choice.width === p.width;
            return <button key={p.name} type="button" aria-pressed={on} onClick={() => set({ unit: "in", width: p.width, height: Math.round(p.width * aspect * 100) / 100 })}>{p.name} ({p.width} in)</button>;
          })}
        </div>
        <label>Width <input type="number" className="short" step="any" value={choice.width} onChange={(e) => set({ width: Number(e.target.value) })} /></label>
        <label>Height <input type="number" className="short" step="any" value={choice.height} onChange={(e) => set({ height: Number(e.target.value) })} /></label>
        <label>Unit
          <select value={choice.unit} onChange={(e) => setUnit(e.target.value as "in" | "px")}>
            <option value="in">inches</option>
            <option value="px">pixels</option>
          </select>
        </label>
        <label>DPI <input type="number" className="short" step={1} value={choice.dpi} onChange={(e) => set({ dpi: Number(e.target.value) })} /></label>
      </div>
      <p className="muted small" data-testid="export-size">
        {problem ?? `${pixels.w} × ${pixels.h} pixels at ${choice.dpi} DPI${choice.unit === "in" ? "" : ` (${(choice.width / choice.dpi).toFixed(2)} × ${(choice.height / choice.dpi).toFixed(2)} in)`}${format === "png" ? "" : "; vector, so any size prints sharp"}`}
        {signedIn ? " · kept for your account" : ""}
      </p>
      {preview && !problem && <img className="export-preview" src={preview.url} alt="Preview of the exported figure" data-testid="export-preview" />}
      <div className="actions">
        <button type="button" className="primary" disabled={busy || problem !== null} onClick={() => void download()}>{busy ? "Exporting…" : `Download ${format.toUpperCase()}`}</button>
      </div>
    </div>
  );
}
