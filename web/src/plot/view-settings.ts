/** The viewer's settings, kept in the URL's query so a link reopens the same view. */
import type { ColourMapName } from "./colormap";
import type { MetricName } from "./grid";

const METRICS: readonly MetricName[] = ["LOSS", "ACCURACY", "TEST_LOSS", "TEST_ACCURACY"];
import type { ScaleKind } from "./scale";
import type { CameraState, PlotMode } from "./SurfacePlot";

export interface ViewSettings {
  mode: PlotMode | null;
  metric: MetricName;
  scale: ScaleKind;
  map: ColourMapName;
  /** Clamp of the colour range; null for the data's own. */
  min: number | null;
  max: number | null;
  /** Cut the loss at the automatic cap (the default) or show the full range. */
  capped: boolean;
  /** Critical points shown: at least this persistence, as a fraction of the value range; null for the default. */
  persistence: number | null;
  /** Compare: each panel on its own scale instead of one shared one. */
  ownScales: boolean;
  camera: CameraState | null;
}

const MAPS: ColourMapName[] = ["viridis", "magma", "coolwarm", "greys"];

export function readSettings(query: URLSearchParams): ViewSettings {
  const mode = query.get("view");
  const map = query.get("map") as ColourMapName;
  const num = (k: string) => {
    const v = query.get(k);
    return v !== null && v !== "" && Number.isFinite(Number(v)) ? Number(v) : null;
  };
  const cam = query.get("cam")?.split(",").map(Number);
  return {
    mode: mode === "2d" || mode === "3d" || mode === "1d" ? mode : null,
    metric: METRICS.find((m) => m === query.get("metric")) ?? "LOSS",
    scale: query.get("scale") === "log" ? "log" : "linear",
    map: MAPS.includes(map) ? map : "viridis",
    min: num("min"),
    max: num("max"),
    capped: query.get("range") !== "full",
    persistence: num("cp"),
    ownScales: query.get("panels") === "own",
    camera: cam && cam.length === 6 && cam.every(Number.isFinite)
      ? { target: [cam[0]!, cam[1]!, cam[2]!], zoom: cam[3]!, rotationX: cam[4]!, rotationOrbit: cam[5]! }
      : null,
  };
}

export function writeSettings(s: ViewSettings): URLSearchParams {
  const q = new URLSearchParams();
  if (s.mode) q.set("view", s.mode);
  if (s.metric !== "LOSS") q.set("metric", s.metric);
  if (s.scale !== "linear") q.set("scale", s.scale);
  if (s.map !== "viridis") q.set("map", s.map);
  if (s.min !== null) q.set("min", String(s.min));
  if (s.max !== null) q.set("max", String(s.max));
  if (!s.capped) q.set("range", "full");
  if (s.persistence !== null) q.set("cp", String(s.persistence));
  if (s.ownScales) q.set("panels", "own");
  if (s.camera) {
    const c = s.camera;
    q.set("cam", [...c.target, c.zoom, c.rotationX ?? 0, c.rotationOrbit ?? 0].map((v) => Number(v.toFixed(3))).join(","));
  }
  return q;
}
