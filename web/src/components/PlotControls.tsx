/** Metric, scale, colour map and range clamp of a plot, and its colour legend. */
import { COLOUR_MAPS, type ColourMapName, cssGradient } from "../plot/colormap";
import { formatValue, type ValueScale } from "../plot/scale";
import type { PlotMode } from "../plot/SurfacePlot";
import type { ViewSettings } from "../plot/view-settings";

export function PlotControls({ settings, onChange, modes, mode }: { settings: ViewSettings; onChange: (s: ViewSettings) => void; modes: PlotMode[]; mode: PlotMode }) {
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
      <div className="segmented" role="group" aria-label="Metric">
        {(["LOSS", "ACCURACY"] as const).map((m) => (
          <button key={m} type="button" aria-pressed={settings.metric === m} onClick={() => set({ metric: m, min: null, max: null })}>{m === "LOSS" ? "Loss" : "Accuracy"}</button>
        ))}
      </div>
      <div className="segmented" role="group" aria-label="Scale">
        {(["linear", "log"] as const).map((s) => (
          <button key={s} type="button" aria-pressed={settings.scale === s} onClick={() => set({ scale: s })}>{s === "linear" ? "Linear" : "Log"}</button>
        ))}
      </div>
      <label>Colours
        <select value={settings.map} onChange={(e) => set({ map: e.target.value as ColourMapName })}>
          {Object.keys(COLOUR_MAPS).map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </label>
      <label>Min <input type="number" step="any" className="short" value={settings.min ?? ""} placeholder="auto" onChange={(e) => set({ min: e.target.value === "" ? null : Number(e.target.value) })} /></label>
      <label>Max <input type="number" step="any" className="short" value={settings.max ?? ""} placeholder="auto" onChange={(e) => set({ max: e.target.value === "" ? null : Number(e.target.value) })} /></label>
    </div>
  );
}

export function Legend({ scale, map, title }: { scale: ValueScale; map: ColourMapName; title: string }) {
  return (
    <div className="legend" aria-label={`${title} colour scale from ${formatValue(scale.min)} to ${formatValue(scale.max)}`}>
      <span className="muted">{title}</span>
      <span>{formatValue(scale.min)}</span>
      <span className="legend-bar" style={{ background: cssGradient(map) }} />
      <span>{formatValue(scale.max)}</span>
    </div>
  );
}
