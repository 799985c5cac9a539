/**
 * One deck.gl canvas for a surface: the 2D heatmap with contours (orthographic), the 3D mesh
 * (orbit) or a 1D line chart. Camera state may be controlled (compare links several canvases).
 */
import { AmbientLight, DirectionalLight, type Layer, LightingEffect, OrbitView, OrbitViewport, OrthographicView, type PickingInfo } from "@deck.gl/core";
import { TextLayer } from "@deck.gl/layers";
import DeckGL, { type DeckGLRef } from "@deck.gl/react";
import { useEffect, useMemo, useRef, useState } from "react";
import type { Annotation, CriticalPoint, PathPoint } from "../api/types";
import type { ColourMapName } from "./colormap";
import type { SurfaceGrid } from "./grid";
import { LINE_ASPECT, lineLayers, type LineMarker, type LineSeries } from "./line-layers";
import { meshLayers } from "./mesh-layers";
import { planeLayers } from "./plane-layers";
import { frameOf, fromWorld, halves, HEIGHT, WORLD } from "./world";
import type { ValueScale } from "./scale";
import { useDrawnState } from "./use-drawn";
import { useWidth } from "./use-width";

export type PlotMode = "2d" | "3d" | "1d";

export interface CameraState {
  target: [number, number, number];
  zoom: number;
  rotationX?: number;
  rotationOrbit?: number;
}

export interface PlotProps {
  id: string;
  mode: PlotMode;
  grid: SurfaceGrid;
  values: Float32Array;
  /** Bumps whenever `values` is refilled in place or replaced, for deck's update triggers. */
  version: number;
  scale: ValueScale;
  colourMap: ColourMapName;
  criticalPoints?: CriticalPoint[];
  path?: PathPoint[] | null;
  /** 2D: a thinner grey path beneath `path` (see Overlay.guide). */
  guide?: { x: number; y: number }[] | null;
  annotations?: Annotation[];
  selectedAnnotation?: string | null;
  /** 1D: the models on the x axis, each at its own loss when measured. */
  markers?: LineMarker[];
  /** 1D: the curves drawn (default this grid's loss and accuracy), the first solid, the next dashed. */
  lines?: LineSeries[];
  /** Names of the a and b axes (default "a", "b"). */
  axisTitles?: [string, string];
  /** Name of the value axis (3D and 1D), e.g. "Loss". */
  valueTitle?: string;
  /** Outline this minimum's basin (2D). */
  basinOf?: CriticalPoint | null;
  /** Device pixels per CSS pixel of the canvas; default the screen's. Exports draw at 2. */
  pixelRatio?: number;
  /** Called after every frame deck draws (an export waits for the one at its pixel ratio). */
  onRendered?: () => void;
  camera?: CameraState | null;
  onCameraChange?: (camera: CameraState) => void;
  /** Pointer over the plot at (a, b); null when it leaves. */
  onHover?: (point: { a: number; b: number } | null) => void;
  onPick?: (point: { a: number; b: number }) => void;
  height?: number;
  label: string;
  /** 2D: draw these contours (of another grid over the same plane) instead of the values' own. */
  lossContours?: { grid: SurfaceGrid; values: Float32Array } | null;
  /** 2D: cells to hatch (see overlay-layers.ts Overlay.hatched). */
  hatched?: Uint8Array | null;
  /** 2D and 3D: one unit of a as long as one of b (PCA planes: both axes are distances in weight space). */
  equalAspect?: boolean;
}

/** Every label a plot's text layers draw, in layer order. */
export function drawnText(layers: readonly Layer[]): string[] {
  const out: string[] = [];
  for (const layer of layers) {
    if (!(layer instanceof TextLayer)) continue;
    const { data, getText } = layer.props as { data: unknown; getText: unknown };
    if (!Array.isArray(data)) continue;
    for (const d of data) out.push(typeof getText === "function" ? String((getText as (x: unknown) => unknown)(d)) : String(getText));
  }
  return out;
}

/** A narrow field of view: mild perspective, so far labels read as large as near ones, as in print. */
const FOVY = 22;

/** The 3D box (with room for its labels) whose projection the default camera fits to the panel. */
const BOX_CORNERS: [number, number, number][] = [];
for (const x of [-WORLD / 2 - 16, WORLD / 2 + 22]) for (const y of [-WORLD / 2 - 18, WORLD / 2 + 4]) for (const z of [0, HEIGHT + 10]) BOX_CORNERS.push([x, y, z]);

/**
 * The camera a plot opens with. 2D: the plane (world width and height `plane`, WORLD x WORLD unless
 * at equal aspect) and its labels fill the panel.
 */
export function defaultCamera(mode: PlotMode, width: number, height: number, plane: [number, number] = [WORLD, WORLD]): CameraState {
  // A line plot is wider than high, with room for both value axes' labels and titles.
  if (mode === "1d") return { target: [0, 0, 0], zoom: Math.log2(Math.min(width / (WORLD * (LINE_ASPECT + 0.55)), height / (WORLD * 1.5))), rotationX: 0, rotationOrbit: 0 };
  // Wider margins across than down: the b tick labels stand beside the plane, the a ones under it.
  if (mode !== "3d") return { target: [0, 0, 0], zoom: Math.log2(Math.min(width / (plane[0] + 0.45 * WORLD), height / (plane[1] + 0.3 * WORLD))), rotationX: 0, rotationOrbit: 0 };
  // Fit the box's projection into the panel: project its corners, rescale, and centre it (a few
  // rounds, as perspective makes the projected size depend on the zoom).
  const view = { rotationX: 32, rotationOrbit: -35, fovy: FOVY, orbitAxis: "Z" as const };
  let zoom = Math.log2(Math.min(width, height) / (WORLD * 1.9));
  let target: [number, number, number] = [0, 0, HEIGHT / 2];
  for (let round = 0; round < 4; round++) {
    const viewport = new OrbitViewport({ width, height, target, zoom, ...view });
    const projected = BOX_CORNERS.map((c) => viewport.project(c));
    const xs = projected.map((p) => p[0]!);
    const ys = projected.map((p) => p[1]!);
    const w = Math.max(...xs) - Math.min(...xs);
    const h = Math.max(...ys) - Math.min(...ys);
    const centre = viewport.unproject([(Math.max(...xs) + Math.min(...xs)) / 2, (Math.max(...ys) + Math.min(...ys)) / 2, projected[0]![2]!]);
    zoom += Math.log2(Math.min((width * 0.96) / w, (height * 0.96) / h));
    target = [centre[0]!, centre[1]!, centre[2]!];
  }
  return { target, zoom, rotationX: view.rotationX, rotationOrbit: view.rotationOrbit };
}

/** Light from the front left and above, so the relief reads as in a printed figure. */
const LIGHTING = new LightingEffect({
  ambient: new AmbientLight({ color: [255, 255, 255], intensity: 0.55 }),
  key: new DirectionalLight({ color: [255, 255, 255], intensity: 0.9, direction: [1.5, 2.5, -2] }),
  fill: new DirectionalLight({ color: [255, 255, 255], intensity: 0.25, direction: [-1, -0.5, -1] }),
});

export function SurfacePlot(props: PlotProps) {
  const { id, mode, grid, values, version, scale, colourMap, height = 460 } = props;
  const [box, width] = useWidth<HTMLDivElement>();
  const [ownCamera, setOwnCamera] = useState<CameraState | null>(null);
  useEffect(() => setOwnCamera(null), [mode]);
  // Equal aspect holds in 2D and 3D alike (the mesh's floor is the plane's shape).
  const frame = frameOf(grid, mode !== "1d" && props.equalAspect);
  // The heatmap's cells reach half a cell beyond the outer points (a coarse map's, far), its labels beyond them.
  const plane: [number, number] = [2 * halves(frame)[0] * (1 + 1 / Math.max(1, grid.nx - 1)), 2 * halves(frame)[1] * (1 + 1 / Math.max(1, grid.ny - 1))];
  const camera = props.camera ?? ownCamera ?? (width ? defaultCamera(mode, width, height, plane) : null);
  // How much larger than a square plane's this plane is drawn, per axis, in the default camera
  // (for tests that point at places on it).
  const fit = width ? 2 ** (defaultCamera(mode, width, height, plane).zoom - defaultCamera(mode, width, height).zoom) : 1;

  const overlay = {
    criticalPoints: props.criticalPoints, path: props.path, guide: props.guide, annotations: props.annotations, selectedAnnotation: props.selectedAnnotation,
    axisTitles: props.axisTitles, valueTitle: props.valueTitle, basinOf: props.basinOf, lossContours: props.lossContours,
    hatched: props.hatched, equalAspect: props.equalAspect,
  };
  const layers = useMemo(
    () =>
      mode === "3d"
        ? meshLayers(id, grid, values, scale, colourMap, overlay)
        : mode === "1d"
          ? lineLayers(id, props.lines ?? [{ name: props.label, grid }], scale, props.markers, props.axisTitles?.[0] ?? "a")
          : planeLayers(id, grid, values, scale, colourMap, overlay),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` stands for the contents of `values`.
    [id, mode, grid, version, scale, colourMap, props.criticalPoints, props.path, props.guide, props.annotations, props.selectedAnnotation, props.markers, props.lines, props.axisTitles?.[0], props.axisTitles?.[1], props.valueTitle, props.basinOf, props.lossContours, props.hatched, props.equalAspect],
  );
  const text = useMemo(() => drawnText(layers), [layers]);
  const view = useMemo(
    () => (mode === "3d" ? new OrbitView({ id: "orbit", orbitAxis: "Z", fovy: FOVY }) : new OrthographicView({ id: "ortho", flipY: false })),
    [mode],
  );
  const deck = useRef<DeckGLRef>(null);
  const drawn = useDrawnState(layers, props.onRendered);
  // A new pixel ratio resizes the drawing buffer but draws nothing by itself: ask for frames (an
  // export waits for one at its ratio).
  useEffect(() => {
    let handle = requestAnimationFrame(() => {
      deck.current?.deck?.redraw("pixel ratio");
      handle = requestAnimationFrame(() => deck.current?.deck?.redraw("pixel ratio"));
    });
    return () => cancelAnimationFrame(handle);
  }, [props.pixelRatio]);
  const toAB = (info: PickingInfo) => {
    let c = info.coordinate;
    if (mode === "3d") {
      // The pointer's ground position is not the surface's: pick the mesh with its depth instead.
      const hit = deck.current?.pickObject({ x: info.x, y: info.y, radius: 2, unproject3D: true, layerIds: [`${id}-mesh`] });
      c = hit?.coordinate ?? undefined;
    }
    if (!c) return null;
    const [x, y] = [c[0]!, c[1]!];
    if (mode === "1d") {
      if (Math.abs(x) > (WORLD / 2) * LINE_ASPECT + 1) return null;
      return { a: fromWorld(frame, x / LINE_ASPECT, 0)[0], b: 0 };
    }
    const [halfX, halfY] = halves(frame);
    if (!(Math.abs(x) <= halfX + 1 && Math.abs(y) <= halfY + 1)) return null;
    const [a, b] = fromWorld(frame, x, y);
    return { a, b };
  };

  return (
    <div
      ref={box}
      className="plot"
      style={{ height }}
      role="img"
      aria-label={props.label}
      data-testid={`plot-${mode}`}
      data-state={drawn.state}
      data-plane={mode !== "1d" ? halves(frame).map((h) => Number(((2 * h * fit) / WORLD).toFixed(4))).join(" ") : undefined}
      data-layers={layers.map((l) => l.id.slice(id.length + 1)).join(" ")}
    >
      {/* The words on the canvas (ticks, axis titles, model names), for screen readers and tests. */}
      <p className="sr-only" data-testid="plot-text">{text.join(" · ")}</p>
      {camera && (
        <DeckGL
          ref={deck}
          views={view}
          viewState={camera as never}
          controller={{ keyboard: true, doubleClickZoom: false }}
          onViewStateChange={({ viewState }) => {
            const next = viewState as CameraState;
            if (props.onCameraChange) props.onCameraChange(next);
            else setOwnCamera(next);
          }}
          layers={layers}
          effects={mode === "3d" ? [LIGHTING] : []}
          useDevicePixels={props.pixelRatio ?? true}
          onAfterRender={drawn.onAfterRender}
          pickingRadius={2}
          onHover={(info) => props.onHover?.(toAB(info))}
          onClick={(info) => {
            const p = toAB(info);
            if (p) props.onPick?.(p);
          }}
          getCursor={({ isDragging }) => (isDragging ? "grabbing" : props.onPick ? "crosshair" : "grab")}
          style={{ position: "absolute", inset: "0" }}
          onLoad={() => {
            // Focusable, so the arrow keys and +/- of deck's keyboard controller reach it.
            const canvas = box.current?.querySelector("canvas");
            if (canvas) {
              canvas.tabIndex = 0;
              canvas.setAttribute("aria-label", `${props.label}: arrow keys move, + and - zoom`);
            }
          }}
        />
      )}
    </div>
  );
}
