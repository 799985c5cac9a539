import { describe, expect, it } from "vitest";
import { applyProgress, emptyGrid, fillCoarse, finiteRange, gridFromBuffer, gridFromRows, gridToCsv, gridToJson, valueAt } from "./grid";
import { readSettings, writeSettings } from "./view-settings";

describe("surface grids", () => {
  const xs = [-1, 0, 1];
  const ys = [-1, 1];

  it("fills from rows, progress events and the values file alike", () => {
    const rows = gridFromRows(xs, ys, [[1, 2, 3], [4, null, 6]], [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]);
    expect(Array.from(rows.loss)).toEqual([1, 2, 3, 4, Number.NaN, 6]);
    const live = applyProgress(emptyGrid(xs, ys), [4, 0], [5, 1], [0.5, 0.1]);
    expect(live.loss[4]).toBe(5);
    expect(live.loss[0]).toBe(1);
    expect(Number.isNaN(live.loss[1]!)).toBe(true);
    const file = gridFromBuffer(xs, ys, Float32Array.from([1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 1]).buffer);
    expect(Array.from(file.accuracy)).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it("reads the nearest point under the pointer, and nothing off the grid", () => {
    const g = gridFromRows(xs, ys, [[1, 2, 3], [4, 5, 6]], null);
    expect(valueAt(g, g.loss, 0.9, 0.8)).toEqual({ i: 2, j: 1, value: 6 });
    expect(valueAt(g, g.loss, 3, 0)).toBeNull();
    expect(finiteRange(g.loss)).toEqual({ min: 1, max: 6 });
    expect(finiteRange(emptyGrid(xs, ys).loss)).toBeNull();
  });

  it("exports CSV and JSON with missing points left empty", () => {
    const g = gridFromRows(xs, ys, [[1, 2, 3], [4, null, 6]], null);
    const csv = gridToCsv(g).trim().split("\n");
    expect(csv[0]).toBe("a,b,loss,accuracy");
    expect(csv[5]).toBe("0,1,,");
    expect(JSON.parse(gridToJson(g)).loss[1]).toEqual([4, null, 6]);
  });
});

describe("fillCoarse", () => {
  it("fills points not computed yet from the nearest coarser lattice point, and leaves full grids alone", () => {
    const nx = 5;
    const v = new Float32Array(25).fill(Number.NaN);
    for (const [i, j, value] of [[0, 0, 1], [4, 0, 2], [0, 4, 3], [4, 4, 4]] as const) v[j * nx + i] = value;
    const f = fillCoarse(v, nx, nx);
    expect(f[0 * nx + 1]).toBe(1);
    expect(f[0 * nx + 3]).toBe(2);
    expect(f[4 * nx + 3]).toBe(4);
    expect(Array.from(f).every(Number.isFinite)).toBe(true);
    const full = new Float32Array(4).fill(1);
    expect(fillCoarse(full, 2, 2)).toBe(full);
  });
});

describe("view settings in the URL", () => {
  it("round-trips, so a share link reopens the same view", () => {
    const s = { mode: "3d" as const, metric: "ACCURACY" as const, scale: "log" as const, map: "magma" as const, min: 0.5, max: null, capped: false, persistence: 0.05, ownScales: true, camera: { target: [1, 2, 3] as [number, number, number], zoom: 1.5, rotationX: 30, rotationOrbit: -20 } };
    expect(readSettings(writeSettings(s))).toEqual(s);
    expect(readSettings(new URLSearchParams("view=bogus&map=nope"))).toMatchObject({ mode: null, map: "viridis", metric: "LOSS", capped: true, persistence: null, ownScales: false });
  });
});
