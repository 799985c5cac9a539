import { describe, expect, it } from "vitest";
import { applyProgress, emptyGrid, fillCoarse, finiteRange, gridFromBuffer, gridFromRows, gridToCsv, gridToJson, metricValues, valueAt } from "./grid";
import { readSettings, writeSettings } from "./view-settings";

describe("test sets", () => {
  it("reads the test set's grids after the training ones, fills them from progress, and exports them", () => {
    const xs = [0, 1, 2];
    const ys = [0];
    // loss, accuracy, test loss, test accuracy
    const file = gridFromBuffer(xs, ys, Float32Array.from([1, 2, 3, 0.9, 0.8, 0.7, 4, 5, 6, 0.6, 0.5, 0.4]).buffer);
    expect(Array.from(file.test!.loss)).toEqual([4, 5, 6]);
    expect(Array.from(metricValues(file, "TEST_ACCURACY"))).toEqual([0.6000000238418579, 0.5, 0.4000000059604645]);
    // A file of two grids has no test set, and its test metrics are all missing.
    const old = gridFromBuffer(xs, ys, Float32Array.from([1, 2, 3, 0.9, 0.8, 0.7]).buffer);
    expect(old.test).toBeUndefined();
    expect(Array.from(metricValues(old, "TEST_LOSS")).every(Number.isNaN)).toBe(true);

    const live = applyProgress(emptyGrid(xs, ys, true), [2], [3], [0.7], { loss: [6], accuracy: [0.4] });
    expect(live.test!.loss[2]).toBe(6);
    expect(Number.isNaN(live.test!.loss[0]!)).toBe(true);
    expect(gridToCsv(file).split("\n").slice(0, 2)).toEqual(["a,b,loss,accuracy,test_loss,test_accuracy", "0,0,1,0.8999999761581421,4,0.6000000238418579"]);
    expect(JSON.parse(gridToJson(file)).testLoss).toEqual([[4, 5, 6]]);
    const rows = gridFromRows(xs, ys, [[1, 2, null]], [[0.9, 0.8, null]], { loss: [[4, null, 6]], accuracy: [[0.6, null, 0.4]] });
    expect(rows.test!.loss[2]).toBe(6);
    expect(Number.isNaN(rows.test!.loss[1]!)).toBe(true);
  });
});

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
