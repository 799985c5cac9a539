/** What is drawn over a surface: critical points, the optimizer's path, pins, and the 2D axes. */
import { COORDINATE_SYSTEM, type Layer } from "@deck.gl/core";
import { IconLayer, LineLayer, PathLayer, ScatterplotLayer, TextLayer } from "@deck.gl/layers";
import type { Annotation, CriticalPoint, PathPoint } from "../api/types";
import type { SurfaceGrid } from "./grid";
import { niceTicks, tickFormat } from "./scale";
import { GLYPH_PIXELS, glyphAtlas, isGlyphKind } from "./glyphs";
import { AXIS_LINE, AXIS_TEXT, type Frame, halves, ON_TOP, toWorld } from "./world";

export interface Overlay {
  criticalPoints?: CriticalPoint[];
  path?: PathPoint[] | null;
  /** 2D: a second path drawn thinner and grey beneath `path`, e.g. the straight line between two models. */
  guide?: { x: number; y: number }[] | null;
  annotations?: Annotation[];
  selectedAnnotation?: string | null;
  /** Names of the a and b axes (default "a", "b"), e.g. "PC1 (61.2%)" on a PCA plane. */
  axisTitles?: [string, string];
  /** Outline this minimum's basin: the cells below its pass, connected to it. */
  basinOf?: CriticalPoint | null;
  /** Title of the value axis (3D and 1D), e.g. "Loss". */
  valueTitle?: string;
  /**
   * 2D: contours of another grid over the same plane (the loss of the plane an eigen-ratio map
   * belongs to) drawn in place of the heatmap's own, placed by their (a, b) coordinates.
   */
  lossContours?: { grid: SurfaceGrid; values: Float32Array } | null;
  /**
   * 2D: cells to hatch (1 at grid index j * nx + i), e.g. eigen-ratio points whose Lanczos run
   * reached its step cap before converging.
   */
  hatched?: Uint8Array | null;
  /** 2D: one unit of a as long as one of b (PCA planes), instead of a square plot. */
  equalAspect?: boolean;
}

/** The minimum whose basin matters most: the most persistent one, the lowest on a tie. */
export function mainMinimum<P extends Pick<CriticalPoint, "kind" | "value" | "persistence">>(points: readonly P[] | undefined): P | null {
  let best: P | null = null;
  for (const p of points ?? []) {
    if (p.kind !== "MINIMUM") continue;
    if (!best || (p.persistence ?? 0) > (best.persistence ?? 0) || ((p.persistence ?? 0) === (best.persistence ?? 0) && p.value < best.value)) best = p;
  }
  return best;
}

/**
 * Path, critical points and pins. `zOf` lifts them onto the 3D mesh; in 2D everything stays at
 * z = 0, since the orthographic camera clips what is above its eye.
 */
export function overlayLayers(id: string, frame: Frame, overlay: Overlay, zOf: (a: number, b: number) => number = () => 0): Layer[] {
  const layers: Layer[] = [];
  const at = (a: number, b: number): [number, number, number] => [...toWorld(frame, a, b), zOf(a, b)];
  if (overlay.guide && overlay.guide.length > 1) {
    layers.push(
      new PathLayer({
        id: `${id}-guide`,
        data: [overlay.guide],
        coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
        getPath: (d: { x: number; y: number }[]) => d.map((p) => at(p.x, p.y)),
        getColor: [200, 205, 215],
        getWidth: 1.5,
        widthUnits: "pixels",
      }),
    );
  }
  if (overlay.path && overlay.path.length > 1) {
    layers.push(
      new PathLayer({
        id: `${id}-pca-path`,
        data: [overlay.path],
        coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
        getPath: (d: PathPoint[]) => d.map((p) => at(p.x, p.y)),
        getColor: [255, 255, 255],
        getWidth: 2,
        widthUnits: "pixels",
      }),
      new ScatterplotLayer({
        id: `${id}-pca-steps`,
        data: overlay.path,
        coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
        getPosition: (p: PathPoint) => at(p.x, p.y),
        getRadius: 3,
        radiusUnits: "pixels",
        getFillColor: [255, 255, 255],
      }),
    );
  }
  if (overlay.criticalPoints?.length) layers.push(...criticalGlyphLayers(`${id}-critical`, overlay.criticalPoints, (p) => at(p.x, p.y)));
  if (overlay.annotations?.length) {
    layers.push(
      new ScatterplotLayer({
        id: `${id}-pins`,
        data: overlay.annotations,
        coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
        getPosition: (n: Annotation) => at(n.x, n.y),
        getRadius: (n: Annotation) => (n.id === overlay.selectedAnnotation ? 9 : 7),
        radiusUnits: "pixels",
        stroked: true,
        getLineColor: [255, 255, 255],
        lineWidthUnits: "pixels",
        getLineWidth: 2,
        getFillColor: [232, 62, 140],
        parameters: ON_TOP,
        updateTriggers: { getRadius: overlay.selectedAnnotation },
      }),
      new TextLayer({
        id: `${id}-pin-labels`,
        data: overlay.annotations,
        coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
        getPosition: (n: Annotation) => at(n.x, n.y),
        getText: (n: Annotation) => n.label,
        getSize: 13,
        getColor: [255, 255, 255],
        getPixelOffset: [10, -10],
        getTextAnchor: "start",
        outlineWidth: 3,
        outlineColor: [15, 20, 32],
        fontSettings: { sdf: true },
        parameters: ON_TOP,
      }),
    );
  }
  return layers;
}

/**
 * Critical points as their kinds' glyphs (glyphs.ts: a minimum a downward triangle, a saddle a
 * diamond, a maximum an upward triangle), `GLYPH_PIXELS` across whatever the zoom. `extra` adds
 * props, e.g. the depth test of 3D.
 */
export function criticalGlyphLayers<P extends Pick<CriticalPoint, "kind">>(id: string, points: readonly P[], position: (p: P) => [number, number, number], extra: Record<string, unknown> = {}): Layer[] {
  const glyphs = glyphAtlas();
  const shown = points.filter((p) => isGlyphKind(p.kind));
  if (!glyphs || shown.length === 0) return [];
  return [
    new IconLayer<P>({
      id,
      data: shown,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      iconAtlas: glyphs.atlas as never,
      iconMapping: glyphs.mapping,
      getIcon: (p) => p.kind,
      getPosition: position,
      getSize: GLYPH_PIXELS,
      sizeUnits: "pixels",
      billboard: true,
      ...extra,
    }),
  ];
}

/**
 * Frame lines with ticks and labels along a and b. `pad` is how far (world units, along a and b)
 * the heatmap's cells reach beyond the outer grid points (half a cell), so ticks and labels start
 * outside the cells: on a coarse map (7 x 7) they would otherwise lie over its edge cells.
 */
export function axisLayers(id: string, frame: Frame, titles: [string, string] = ["a", "b"], pad: [number, number] = [0, 0]): Layer[] {
  const [halfX, halfY] = halves(frame);
  const xt = niceTicks(frame.xMin, frame.xMax, 5).map((v) => ({ v, p: toWorld(frame, v, frame.yMin) }));
  const yt = niceTicks(frame.yMin, frame.yMax, 5).map((v) => ({ v, p: toWorld(frame, frame.xMin, v) }));
  const below = halfY + pad[1] + 1.5;
  const left = halfX + pad[0] + 1.5;
  const fx = tickFormat(xt.map((t) => t.v));
  const fy = tickFormat(yt.map((t) => t.v));
  const ticks = [
    ...xt.map((t) => ({ from: [t.p[0], -below] as [number, number], to: [t.p[0], -below - 2] as [number, number] })),
    ...yt.map((t) => ({ from: [-left, t.p[1]] as [number, number], to: [-left - 2, t.p[1]] as [number, number] })),
  ];
  const labels = [
    ...xt.map((t) => ({ text: fx(t.v), position: [t.p[0], -below - 4] as [number, number], anchor: "middle" as const })),
    ...yt.map((t) => ({ text: fy(t.v), position: [-left - 3, t.p[1]] as [number, number], anchor: "end" as const })),
    { text: titles[0], position: [halfX + pad[0] + 3.5, -below - 4] as [number, number], anchor: "start" as const },
    { text: titles[1], position: [-left - 3, halfY + pad[1] + 7.5] as [number, number], anchor: "end" as const },
  ];
  return [
    new LineLayer({
      id: `${id}-ticks`,
      data: ticks,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getSourcePosition: (d) => d.from,
      getTargetPosition: (d) => d.to,
      getColor: AXIS_LINE,
      getWidth: 1,
      widthUnits: "pixels",
    }),
    new TextLayer({
      id: `${id}-tick-labels`,
      data: labels,
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      getPosition: (d) => d.position,
      getText: (d) => d.text,
      getTextAnchor: (d) => d.anchor,
      getAlignmentBaseline: "center",
      getSize: 13,
      getColor: AXIS_TEXT,
    }),
  ];
}

