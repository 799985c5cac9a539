import { describe, expect, it } from "vitest";
import { curvatureScale, finiteMean, hatchingNote } from "./EigenRatioMaps";
import { applyCurvatureProgress, curvatureGridFromRows, emptyGrid, unconvergedMask } from "./grid";
import { hatchSegments, planeLayers } from "./plane-layers";
import { WORLD } from "./world";
import { makeScale } from "./scale";

// jsdom has no ImageData (a canvas type); the heatmap's pixels are not what these tests are about.
if (typeof ImageData === "undefined") {
  (globalThis as { ImageData?: unknown }).ImageData = class {
    constructor(readonly data: Uint8ClampedArray, readonly width: number, readonly height: number) {}
  };
}

describe("eigen-ratio grids and layers", () => {
  it("fill the three metrics from rows and from progress events", () => {
    const grid = curvatureGridFromRows([-1, 1], [0, 1], { LAMBDA_MAX: [[4, 2], [null, 8]], LAMBDA_MIN: [[-1, 0.5], [null, -4]], RATIO: [[0.25, 0], [null, 0.5]] });
    expect(Array.from(grid.curvature!.LAMBDA_MAX)).toEqual([4, 2, Number.NaN, 8]);
    expect(Number.isNaN(grid.loss[0]!)).toBe(true);
    const live = applyCurvatureProgress(grid, [2], { LAMBDA_MAX: [3], LAMBDA_MIN: [-3], RATIO: [1] });
    expect(live.curvature!.RATIO[2]).toBe(1);
    expect(Number.isNaN(grid.curvature!.RATIO[2]!)).toBe(true); // the old grid is left as it was
    expect(finiteMean(live.curvature!.RATIO)).toBeCloseTo(1.75 / 4, 12);
    // lambda_min on a diverging scale centred on 0; the ratio from 0.
    expect(curvatureScale("LAMBDA_MIN", live.curvature!.LAMBDA_MIN).scale).toMatchObject({ min: -4, max: 4 });
    expect(curvatureScale("RATIO", live.curvature!.RATIO).scale).toMatchObject({ min: 0, max: 1 });
  });

  it("lay another grid's loss contours over a map by their (a, b) coordinates", () => {
    // A 3x3 map over [-1, 1]^2; the loss is a plane over [0, 1] x [-1, 1] whose level a = 0.5 is one vertical line.
    const map = curvatureGridFromRows([-1, 0, 1], [-1, 0, 1], { LAMBDA_MAX: [[1, 1, 1], [1, 1, 1], [1, 1, 1]], LAMBDA_MIN: null, RATIO: null });
    const plane = emptyGrid([0, 0.5, 1], [-1, 0, 1]);
    plane.loss.set([0, 0.5, 1, 0, 0.5, 1, 0, 0.5, 1]);
    const layers = planeLayers("m", map, map.curvature!.RATIO, makeScale("linear", 0, 1), "magma", { lossContours: { grid: plane, values: plane.loss } }, 1);
    const contours = layers.find((layer) => layer.id === "m-contours")!;
    const segments = contours.props.data as { from: [number, number]; to: [number, number] }[];
    expect(segments.length).toBeGreaterThan(0);
    // Level 0.5 lies at a = 0.5: three quarters of the way across the map's world.
    for (const s of segments) {
      expect(s.from[0]).toBeCloseTo(0.25 * WORLD, 6);
      expect(s.to[0]).toBeCloseTo(0.25 * WORLD, 6);
    }
  });

  it("hatch the points that reached the step cap before converging, and say how many", () => {
    const rows = { LAMBDA_MAX: [[4, 2], [1, 8]], LAMBDA_MIN: [[-1, 0.5], [0, -4]], RATIO: [[0.25, 0], [0, 0.5]] };
    const grid = curvatureGridFromRows([-1, 1], [0, 1], rows, { steps: [[20, 80], [31, null]], converged: [[1, 0], [1, null]] });
    expect(Array.from(unconvergedMask(grid.lanczos)!)).toEqual([0, 1, 0, 0]);
    expect(hatchingNote(grid, 80)).toBe("Hatched: 1 of 3 points reached 80 Lanczos steps before λmax and λmin converged; their |λmin| and ratio may be too small.");
    // The last point arrives converged.
    const live = applyCurvatureProgress(grid, [3], { LAMBDA_MAX: [8], LAMBDA_MIN: [-4], RATIO: [0.5] }, { steps: [44], converged: [1] });
    expect(live.lanczos!.steps[3]).toBe(44);
    expect(hatchingNote(applyCurvatureProgress(live, [1], { LAMBDA_MAX: [2], LAMBDA_MIN: [0.5], RATIO: [0] }, { steps: [60], converged: [1] }), 80)).toBe("Every point converged (λmax and λmin within tolerance).");
    // Maps made with fixed steps recorded nothing: no hatching, no legend line.
    const old = curvatureGridFromRows([-1, 1], [0, 1], rows);
    expect(hatchingNote(old, 10)).toBeNull();
    expect(Array.from(unconvergedMask(old.lanczos)!)).toEqual([0, 0, 0, 0]);
    // One hatched cell: three strokes inside the half-step box around its point.
    const layers = planeLayers("m", grid, grid.curvature!.RATIO, makeScale("linear", 0, 1), "magma", { hatched: unconvergedMask(grid.lanczos) });
    const strokes = layers.find((layer) => layer.id === "m-hatching")!.props.data as { from: [number, number]; to: [number, number] }[];
    expect(strokes).toHaveLength(3);
    expect(strokes[0]).toEqual({ from: [0.5 * WORLD - WORLD / 2, -0.5 * WORLD - WORLD / 2], to: [0.5 * WORLD + WORLD / 2, -0.5 * WORLD + WORLD / 2] });
    expect(hatchSegments(grid, new Uint8Array(4), 1, 1)).toEqual([]);
    expect(planeLayers("n", old, old.curvature!.RATIO, makeScale("linear", 0, 1), "magma", { hatched: unconvergedMask(old.lanczos) }).some((layer) => layer.id === "n-hatching")).toBe(false);
  });
});
