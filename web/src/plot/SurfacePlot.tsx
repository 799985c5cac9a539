/**
 * One deck.gl canvas for a surface: the 2D heatmap with contours (orthographic), the 3D mesh
 * (orbit) or a 1D line chart. Camera state may be controlled (compare links several canvases).
 */
import { OrbitView, OrthographicView, type PickingInfo } from "@deck.gl/core";
import DeckGL, { type DeckGLRef } from "@deck.gl/react";
import { useEffect, useMemo, useRef, useState } from "react";
import type { Annotation, CriticalPoint, PathPoint } from "../api/types";
import type { ColourMapName } from "./colormap";
import type { SurfaceGrid } from "./grid";
import { frameOf, fromWorld, HEIGHT, lineLayers, meshLayers, planeLayers, WORLD } from "./layers";
import type { ValueScale } from "./scale";
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
  annotations?: Annotation[];
  selectedAnnotation?: string | null;
  markers?: { name: string; x: number }[];
  /** Names of the a and b axes (default "a", "b"). */
  axisTitles?: [string, string];
  camera?: CameraState | null;
  onCameraChange?: (camera: CameraState) => void;
  /** Pointer over the plot at (a, b); null when it leaves. */
  onHover?: (point: { a: number; b: number } | null) => void;
  onPick?: (point: { a: number; b: number }) => void;
  height?: number;
  label: string;
}

export function defaultCamera(mode: PlotMode, width: number, height: number): CameraState {
  if (mode === "3d") return { target: [0, 0, HEIGHT / 3], zoom: Math.log2(Math.min(width, height) / (WORLD * 1.9)), rotationX: 40, rotationOrbit: -30 };
  return { target: [0, 0, 0], zoom: Math.log2(Math.min(width, height) / (WORLD * 1.3)), rotationX: 0, rotationOrbit: 0 };
}

export function SurfacePlot(props: PlotProps) {
  const { id, mode, grid, values, version, scale, colourMap, height = 460 } = props;
  const [box, width] = useWidth<HTMLDivElement>();
  const [ownCamera, setOwnCamera] = useState<CameraState | null>(null);
  useEffect(() => setOwnCamera(null), [mode]);
  const camera = props.camera ?? ownCamera ?? (width ? defaultCamera(mode, width, height) : null);

  const overlay = { criticalPoints: props.criticalPoints, path: props.path, annotations: props.annotations, selectedAnnotation: props.selectedAnnotation, axisTitles: props.axisTitles };
  const layers = useMemo(
    () =>
      mode === "3d"
        ? meshLayers(id, grid, values, scale, colourMap, overlay)
        : mode === "1d"
          ? lineLayers(id, grid, values, scale, props.markers)
          : planeLayers(id, grid, values, scale, colourMap, overlay),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` stands for the contents of `values`.
    [id, mode, grid, version, scale, colourMap, props.criticalPoints, props.path, props.annotations, props.selectedAnnotation, props.markers, props.axisTitles?.[0], props.axisTitles?.[1]],
  );
  const view = useMemo(
    () => (mode === "3d" ? new OrbitView({ id: "orbit", orbitAxis: "Z", fovy: 40 }) : new OrthographicView({ id: "ortho", flipY: false })),
    [mode],
  );
  const frame = frameOf(grid);
  const deck = useRef<DeckGLRef>(null);
  const toAB = (info: PickingInfo) => {
    let c = info.coordinate;
    if (mode === "3d") {
      // The pointer's ground position is not the surface's: pick the mesh with its depth instead.
      const hit = deck.current?.pickObject({ x: info.x, y: info.y, radius: 2, unproject3D: true, layerIds: [`${id}-mesh`] });
      c = hit?.coordinate ?? undefined;
    }
    if (!c) return null;
    const [x, y] = [c[0]!, c[1]!];
    if (!(Math.abs(x) <= WORLD / 2 + 1 && Math.abs(y) <= WORLD / 2 + 1) && mode !== "1d") return null;
    if (mode === "1d") {
      if (Math.abs(x) > WORLD / 2 + 1) return null;
      return { a: fromWorld(frame, x, 0)[0], b: 0 };
    }
    const [a, b] = fromWorld(frame, x, y);
    return { a, b };
  };

  return (
    <div ref={box} className="plot" style={{ height }} role="img" aria-label={props.label} data-testid={`plot-${mode}`}>
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

/** The canvas of a plot as a PNG data URL (deck keeps its drawing buffer). */
export function plotPng(container: HTMLElement | null): string | null {
  const canvas = container?.querySelector("canvas");
  return canvas ? canvas.toDataURL("image/png") : null;
}
