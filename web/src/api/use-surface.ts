/**
 * A surface and its grid, kept live: the metadata, the values so far (rows for grids up to
 * 201x201, else the float32 values file; the test set's too when it has one), then every tile from the `surfaceProgress` subscription
 * until the surface is done.
 */
import { useEffect, useRef, useState } from "react";
import { applyCurvatureProgress, curvatureGridFromRows, emptyGrid, gridFromBuffer, gridFromRows, applyProgress, type SurfaceGrid } from "../plot/grid";
import { describeError, request } from "./graphql";
import { EIGEN_RATIO_VALUES, SURFACE_PROGRESS, SURFACE_QUERY, SURFACE_TEST_VALUES, SURFACE_VALUES } from "./ops";
import { subscribe } from "./subscribe";
import type { Surface, SurfaceStatus } from "./types";

export interface LiveSurface {
  surface: Surface;
  grid: SurfaceGrid;
  /** Bumps at every change of the grid's values. */
  version: number;
  live: boolean;
}

export type SurfaceState = { kind: "loading" } | { kind: "error"; message: string; code?: string } | ({ kind: "ready" } & LiveSurface);

const DONE: SurfaceStatus[] = ["READY", "FAILED", "CANCELLED"];

export async function loadSurface(id: string, signal?: AbortSignal): Promise<{ surface: Surface; grid: SurfaceGrid }> {
  const { surface } = await request(SURFACE_QUERY, { id }, signal);
  let grid: SurfaceGrid;
  if (surface.kind === "EIGEN_RATIO") {
    // Small by design (at most 41x41): always as rows, even before the first tile.
    const values = (await request(EIGEN_RATIO_VALUES, { id }, signal)).surface;
    return { surface, grid: curvatureGridFromRows(surface.xs, surface.ys, { LAMBDA_MAX: values.lambdaMax, LAMBDA_MIN: values.lambdaMin, RATIO: values.ratio }, { steps: values.steps, converged: values.converged }) };
  }
  if (surface.xs.length * surface.ys.length > 201 * 201 && surface.valuesUrl) {
    const response = await fetch(surface.valuesUrl, { signal });
    if (!response.ok) throw new Error(`The values file could not be read (HTTP ${response.status})`);
    grid = gridFromBuffer(surface.xs, surface.ys, await response.arrayBuffer());
  } else if (surface.pointsDone > 0) {
    const values = (await request(SURFACE_VALUES, { id }, signal)).surface;
    // A surface with a test set: its loss and accuracy at the same points.
    const test = surface.testDatasetId ? (await request(SURFACE_TEST_VALUES, { id }, signal)).surface : null;
    grid = gridFromRows(surface.xs, surface.ys, values.loss, values.accuracy, test ? { loss: test.testLoss, accuracy: test.testAccuracy } : undefined);
  } else grid = emptyGrid(surface.xs, surface.ys, surface.testDatasetId !== null);
  return { surface, grid };
}

export function useSurface(id: string): SurfaceState & { reload: () => void } {
  const [state, setState] = useState<SurfaceState>({ kind: "loading" });
  const [tick, setTick] = useState(0);
  const version = useRef(0);
  useEffect(() => {
    const controller = new AbortController();
    let unsubscribe: (() => void) | null = null;
    loadSurface(id, controller.signal).then(
      ({ surface, grid }) => {
        if (controller.signal.aborted) return;
        const live = !DONE.includes(surface.status);
        setState({ kind: "ready", surface, grid, version: ++version.current, live });
        if (!live) return;
        unsubscribe = subscribe(
          SURFACE_PROGRESS,
          { id },
          ({ surfaceProgress: p }) => {
            setState((s) => {
              if (s.kind !== "ready") return s;
              const grid = !p.indices.length
                ? s.grid
                : s.grid.curvature
                  ? applyCurvatureProgress(s.grid, p.indices, { LAMBDA_MAX: p.lambdaMax, LAMBDA_MIN: p.lambdaMin, RATIO: p.ratio }, { steps: p.lanczosSteps, converged: p.converged })
                  : applyProgress(s.grid, p.indices, p.loss, p.accuracy, { loss: p.testLoss, accuracy: p.testAccuracy });
              return { ...s, grid, version: ++version.current, surface: { ...s.surface, status: p.status, pointsDone: p.pointsDone, pointsTotal: p.pointsTotal, errorMessage: p.errorMessage } };
            });
            // When it is done, read it once more: critical points, statistics, thumbnail.
            if (DONE.includes(p.status)) {
              unsubscribe?.();
              void loadSurface(id).then(({ surface, grid }) => {
                if (!controller.signal.aborted) setState({ kind: "ready", surface, grid, version: ++version.current, live: false });
              });
            }
          },
          (message) => setState((s) => (s.kind === "ready" ? { ...s, live: false, surface: { ...s.surface, errorMessage: s.surface.errorMessage ?? `Live updates stopped: ${message}` } } : s)),
        );
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ kind: "error", message: describeError(error), code: (error as { code?: string }).code });
      },
    );
    return () => {
      controller.abort();
      unsubscribe?.();
    };
  }, [id, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}
