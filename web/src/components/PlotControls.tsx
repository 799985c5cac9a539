/** Metric, scale, colour map and range clamp of a plot, and its colour legend. */
import { clippedColour, COLOUR_MAPS, type ColourMapName, cssGradient } from "../plot/colormap";
import { formatValue, type ValueScale } from "../plot/scale";
import type { PlotMode } from "../plot/SurfacePlot";
import type { ViewSettings } from "../plot/view-settings";
import { type MetricName, metricTitle } from "../plot/grid";

/** `metrics`: those the surface holds (the test set's only when it has one); default loss and accuracy. */
export function PlotControls({ settings, onChange, modes, mode, metrics = ["LOSS", "ACCURACY"] }: { settings: ViewSettings; onChange: (s: ViewSettings) => void; modes: PlotMode[]; mode: PlotMode; metrics?: readonly MetricName[] }) {
  const set = (patch: Partial<ViewSettings>) => onChange({ ...settings, ...patch });
  const label: Record<PlotMode, string> = { "2d": "Contours", "3d": "3D", "1d": "Line" };
  return (
    <div className="controls" role="toolbar" aria-label="Plot settings">
      {modes.length > 1 && (
        <div className="segmented" role="group" aria-label="View">
          {modes.map((m) => (
            <button key={m} type="button" aria-pressed={mode === m} onClick={() => set({ mode: m, camera: null })}>{label[m]}</button>
          ))}
        </div>
      )}
      {/* A line plot draws loss and accuracy together, uncapped, without colours. */}
      {mode !== "1d" && <div className="segmented" role="group" aria-label="Metric">
        {metrics.map((m) => (
          <button key={m} type="button" aria-pressed={settings.metric === m} onClick={() => set({ metric: m, min: null, max: null })}>{metricTitle(m)}</button>
        ))}
      </div>}
      <div className="segmented" role="group" aria-label="Scale">
        {(["linear", "log"] as const).map((s) => (
          <button key={s} type="button" aria-pressed={settings.scale === s} onClick={() => set({ scale: s })}>{s === "linear" ? "Linear" : "Log"}</button>
        ))}
      </div>
      {settings.metric === "LOSS" && mode !== "1d" && (
        <div className="segmented" role="group" aria-label="Range">
          <button type="button" aria-pressed={settings.capped} title="Cut the loss at a level chosen from the data, so the basin shows" onClick={() => set({ capped: true })}>Capped</button>
          <button type="button" aria-pressed={!settings.capped} title="From the minimum to the maximum" onClick={() => set({ capped: false })}>Full range</button>
        </div>
      )}
      {mode !== "1d" && <label>Colours
        <select value={settings.map} onChange={(e) => set({ map: e.target.value as ColourMapName })}>
          {Object.keys(COLOUR_MAPS).map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </label>}
      <label title={mode === "1d" ? "The loss axis from" : "The colour range from"}>Min <input type="number" step="any" className="short" value={settings.min ?? ""} placeholder="auto" onChange={(e) => set({ min: e.target.value === "" ? null : Number(e.target.value) })} /></label>
      <label title={mode === "1d" ? "The loss axis to" : "The colour range to"}>Max <input type="number" step="any" className="short" value={settings.max ?? ""} placeholder="auto" onChange={(e) => set({ max: e.target.value === "" ? null : Number(e.target.value) })} /></label>
    </div>
  );
}

/**
 * The colour bar: the map from the scale's bottom to its top, and, when values lie above the top
 * (a cap or a manual max), the colour they are drawn in and the level they are cut at.
 */
export function Legend({ scale, map, title, cap, dataMax }: { scale: ValueScale; map: ColourMapName; title: string; cap?: number | null; dataMax?: number | null }) {
  const clipped = dataMax != null && dataMax > scale.max;
  const [r, g, b] = clippedColour(map);
  return (
    <div className="legend" data-testid="colour-bar" aria-label={`${title} colour scale from ${formatValue(scale.min)} to ${formatValue(scale.max)}${clipped ? `, values above ${formatValue(scale.max)} clipped` : ""}`}>
      <span className="muted">{title}{scale.kind === "log" ? " (log)" : ""}</span>
      <span>{formatValue(scale.min)}</span>
      <span className="legend-bar" style={{ background: cssGradient(map) }} />
      <span>{formatValue(scale.max)}</span>
      {clipped && (
        <span className="legend-clip" data-testid="cap-note">
          <span className="legend-swatch" style={{ background: `rgb(${r},${g},${b})` }} /> above: clipped ({cap != null ? "automatic cap" : "manual max"}; values reach {formatValue(dataMax)})
        </span>
      )}
    </div>
  );
}