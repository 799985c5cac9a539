import { describe, expect, it } from "vitest";
import { surfaceGlb, surfaceSvg, surfaceVtp } from "./export";
import { lineFigureSvg } from "./figure/line";
import { emptyGrid, type SurfaceGrid } from "./grid";
import { chooseScale, valueStats } from "./scale";

/** A plane with a basin at the centre and a wall toward a corner: loss 0.5 to about 370. */
function plane(nx = 21, ny = 17): SurfaceGrid {
  const xs = Array.from({ length: nx }, (_, i) => -1 + (2 * i) / (nx - 1));
  const ys = Array.from({ length: ny }, (_, j) => -1 + (2 * j) / (ny - 1));
  const grid = emptyGrid(xs, ys);
  ys.forEach((y, j) => xs.forEach((x, i) => {
    grid.loss[j * nx + i] = 0.5 * Math.exp(4.67 * Math.hypot(x, y));
    grid.accuracy[j * nx + i] = 1 / (1 + Math.hypot(x, y));
  }));
  return grid;
}

const parse = (text: string, type: DOMParserSupportedType) => {
  const doc = new DOMParser().parseFromString(text, type);
  expect(doc.getElementsByTagName("parsererror")).toHaveLength(0);
  return doc;
};

describe("SVG figures", () => {
  it("draw a plane as heatmap, contours, axes with ticks and titles, and a colour bar that states the cap", () => {
    const grid = plane();
    const choice = chooseScale("linear", [valueStats(grid.loss)], { min: null, max: null, capped: true });
    const svg = surfaceSvg({
      title: "Skip connections", subtitle: "plane · mlp on digits", axisTitles: ["a", "b"], valueTitle: "Loss",
      grid, values: grid.loss, scale: choice.scale, map: "viridis", dataMax: choice.dataMax,
      criticalPoints: [{ kind: "MINIMUM", i: 10, j: 8, x: 0, y: 0, value: 0.5, persistence: 10 }],
    });
    const doc = parse(svg, "image/svg+xml");
    expect(doc.documentElement.getAttribute("viewBox")).toBe("0 0 570 480");
    expect(doc.querySelector("title")!.textContent).toBe("Skip connections");
    const xTicks = [...doc.querySelectorAll(".x-axis text:not(.axis-title)")].map((t) => t.textContent);
    expect(xTicks).toEqual(["-1", "-0.5", "0", "0.5", "1"]);
    expect(doc.querySelector(".x-axis .axis-title")!.textContent).toBe("a");
    expect(doc.querySelector(".y-axis .axis-title")!.textContent).toBe("b");
    expect(doc.querySelector(".colour-bar .axis-title")!.textContent).toBe("Loss");
    expect(doc.querySelectorAll(".colour-bar text").length).toBeGreaterThanOrEqual(5);
    // The cap is drawn in its own colour and said in words.
    expect(doc.querySelector(".colour-bar .clipped")).not.toBeNull();
    expect(doc.querySelector(".colour-bar")!.textContent).toContain("clipped");
    expect(doc.querySelectorAll(".heatmap rect").length).toBeGreaterThan(21);
    expect(doc.querySelectorAll("path.contour").length).toBeGreaterThan(5);
    expect(doc.querySelectorAll("path.critical.minimum")).toHaveLength(1);
    expect([...doc.querySelectorAll(".mark-key text")].map((t) => t.textContent)).toEqual(["minimum"]);
  });

  it("draw a 1D surface as a line plot: loss left and accuracy right, the models marked and named, no colour bar", () => {
    const xs = Array.from({ length: 11 }, (_, i) => -0.5 + 0.2 * i);
    const grid = emptyGrid(xs, [0]);
    xs.forEach((t, i) => { grid.loss[i] = 1 + 4 * t * (t - 1); grid.accuracy[i] = 0.5 + 0.4 * Math.cos(3 * t); });
    const choice = chooseScale("linear", [valueStats(grid.loss)], { min: null, max: null, capped: false });
    for (const theme of ["paper", "dark"] as const) {
      const doc = parse(surfaceSvg({
        title: "Interpolation", axisTitles: ["t", "b"], valueTitle: "Loss", grid, values: grid.loss, scale: choice.scale, map: "viridis", dataMax: choice.dataMax,
        markers: [{ name: "A", x: 0, loss: 1 }, { name: "B", x: 1, loss: 1 }], theme, size: { width: 3.25, height: 2.4, unit: "in", dpi: 300 },
      }), "image/svg+xml");
      const texts = (selector: string) => [...doc.querySelectorAll(selector)].map((t) => t.textContent);
      expect(doc.querySelectorAll("polyline.loss")).toHaveLength(1);
      expect(doc.querySelector("polyline.loss")!.getAttribute("points")!.split(" ")).toHaveLength(11);
      expect(doc.querySelector("polyline.accuracy")!.getAttribute("points")!.split(" ")).toHaveLength(11);
      expect(texts(".x-axis .axis-title")).toEqual(["t"]);
      expect(texts(".loss-axis .axis-title")).toEqual(["Loss"]);
      expect(texts(".accuracy-axis .axis-title")).toEqual(["Accuracy"]);
      // Accuracy from 0 to 1 on the right; the loss's own round ticks on the left.
      expect(texts(".accuracy-axis text:not(.axis-title)")).toEqual(["0", "0.25", "0.5", "0.75", "1"]);
      expect(doc.querySelectorAll(".loss-axis text").length).toBeGreaterThanOrEqual(4);
      // Each axis in its curve's colour.
      expect(doc.querySelector(".loss-axis")!.getAttribute("fill")).toBe(doc.querySelector("polyline.loss")!.getAttribute("stroke"));
      expect(doc.querySelector(".accuracy-axis")!.getAttribute("fill")).toBe(doc.querySelector("polyline.accuracy")!.getAttribute("stroke"));
      expect(doc.querySelectorAll("line.model")).toHaveLength(2);
      expect(texts(".model-name")).toEqual(["A", "B"]);
      expect(texts(".legend-entry")).toEqual(["loss (left axis)", "accuracy (right axis)", "models: A, B"]);
      expect(doc.querySelectorAll(".colour-bar")).toHaveLength(0);
    }
  });

  it("draw 1D surfaces compared on one line plot, the first solid and the second dashed", () => {
    const xs = [0, 0.5, 1];
    const a = emptyGrid(xs, [0]);
    const b = emptyGrid(xs, [0]);
    [a, b].forEach((g, k) => xs.forEach((_, i) => { g.loss[i] = 1 + i + k; g.accuracy[i] = 0.9 - 0.1 * i; }));
    const scale = chooseScale("linear", [valueStats(a.loss), valueStats(b.loss)], { min: null, max: null, capped: false }).scale;
    const doc = parse(lineFigureSvg({ title: "Slices", series: [{ name: "seed 1", grid: a }, { name: "seed 2", grid: b }], loss: scale, xTitle: "a", theme: "paper", size: { width: 6.75, height: 2.6, unit: "in", dpi: 300 } }), "image/svg+xml");
    const loss = [...doc.querySelectorAll("polyline.loss")];
    expect(loss.map((l) => l.getAttribute("data-series"))).toEqual(["0", "1"]);
    expect(loss[0]!.getAttribute("stroke-dasharray")).toBeNull();
    expect(loss[1]!.getAttribute("stroke-dasharray")).not.toBeNull();
    expect([...doc.querySelectorAll(".legend-entry")].map((t) => t.textContent)).toEqual([
      "seed 1 (solid): loss (left axis)", "seed 1 (solid): accuracy (right axis)", "seed 2 (dashed): loss (left axis)", "seed 2 (dashed): accuracy (right axis)",
    ]);
  });

  it("draw a 1D surface with a test set as in the paper's Figure 2: train solid, test dashed, loss and accuracy on twin axes", () => {
    const xs = Array.from({ length: 11 }, (_, i) => -0.5 + 0.2 * i);
    const grid = emptyGrid(xs, [0], true);
    xs.forEach((t, i) => {
      grid.loss[i] = 0.2 + 4 * t * (t - 1) ** 2;
      grid.accuracy[i] = 0.95 - 0.1 * Math.abs(t);
      grid.test!.loss[i] = 0.6 + 4 * t * (t - 1) ** 2;
      grid.test!.accuracy[i] = 0.8 - 0.1 * Math.abs(t);
    });
    const choice = chooseScale("linear", [valueStats(grid.loss), valueStats(grid.test!.loss)], { min: null, max: null, capped: false });
    const doc = parse(surfaceSvg({ title: "Small vs large batch", axisTitles: ["t", "b"], valueTitle: "Loss", grid, values: grid.loss, scale: choice.scale, map: "viridis", dataMax: choice.dataMax, theme: "paper" }), "image/svg+xml");
    for (const metric of ["loss", "accuracy"]) {
      const lines = [...doc.querySelectorAll(`polyline.${metric}`)];
      expect(lines.map((l) => l.getAttribute("data-series"))).toEqual(["0", "1"]);
      expect(lines[0]!.getAttribute("stroke-dasharray")).toBeNull();
      expect(lines[1]!.getAttribute("stroke-dasharray")).not.toBeNull();
    }
    // The test curve is drawn from the test values: higher loss, so nearer the top (smaller y).
    const firstY = (l: Element) => Number(l.getAttribute("points")!.split(" ")[0]!.split(",")[1]);
    const [train, test] = [...doc.querySelectorAll("polyline.loss")];
    expect(firstY(test!)).toBeLessThan(firstY(train!));
    expect([...doc.querySelectorAll(".legend-entry")].map((t) => t.textContent)).toEqual([
      "train (solid): loss (left axis)", "train (solid): accuracy (right axis)", "test (dashed): loss (left axis)", "test (dashed): accuracy (right axis)",
    ]);
  });
});

describe("VTK PolyData", () => {
  it("is XML with one point per grid point, one quad per cell, and the loss and accuracy as point data", () => {
    const grid = plane(6, 4);
    grid.loss[0] = Number.NaN; // a missing corner drops its one cell
    const doc = parse(surfaceVtp(grid, "LOSS", 20), "application/xml");
    const piece = doc.querySelector("Piece")!;
    expect(doc.documentElement.getAttribute("type")).toBe("PolyData");
    expect(piece.getAttribute("NumberOfPoints")).toBe("24");
    expect(piece.getAttribute("NumberOfPolys")).toBe(String(5 * 3 - 1));
    const numbers = (selector: string) => doc.querySelector(selector)!.textContent!.trim().split(/\s+/).map(Number);
    const points = numbers("Points > DataArray");
    expect(points).toHaveLength(24 * 3);
    // (a, b, loss capped at 20): the second point is a = -0.6, b = -1.
    expect(points.slice(3, 6)).toEqual([-0.6, -1, 20]);
    expect(numbers('DataArray[Name="connectivity"]')).toHaveLength(4 * 14);
    expect(numbers('DataArray[Name="offsets"]').at(-1)).toBe(4 * 14);
    const loss = doc.querySelector('PointData > DataArray[Name="loss"]')!.textContent!.trim().split(/\s+/);
    expect(loss).toHaveLength(24);
    expect(loss[0]).toBe("nan");
    expect(Number(loss[1])).toBeCloseTo(grid.loss[1]!, 3);
    expect(doc.querySelector('PointData > DataArray[Name="accuracy"]')!.textContent!.trim().split(/\s+/)).toHaveLength(24);
  });
});

describe("binary glTF", () => {
  it("passes a structural check: header, chunks, accessors inside their buffer views, indices in range", () => {
    const grid = plane(9, 7);
    const choice = chooseScale("linear", [valueStats(grid.loss)], { min: null, max: null, capped: true });
    const glb = surfaceGlb(grid, grid.loss, choice.scale, "viridis", "surface");
    const view = new DataView(glb);
    expect(view.getUint32(0, true)).toBe(0x46546c67);
    expect(view.getUint32(4, true)).toBe(2);
    expect(view.getUint32(8, true)).toBe(glb.byteLength);
    const jsonLength = view.getUint32(12, true);
    expect(view.getUint32(16, true)).toBe(0x4e4f534a);
    expect(jsonLength % 4).toBe(0);
    const json = JSON.parse(new TextDecoder().decode(new Uint8Array(glb, 20, jsonLength)));
    const binAt = 20 + jsonLength;
    const binLength = view.getUint32(binAt, true);
    expect(view.getUint32(binAt + 4, true)).toBe(0x004e4942);
    expect(binAt + 8 + binLength).toBe(glb.byteLength);
    expect(json.asset.version).toBe("2.0");
    expect(json.buffers[0].byteLength).toBe(binLength);
    const primitive = json.meshes[0].primitives[0];
    const sizes: Record<string, number> = { SCALAR: 1, VEC3: 3 };
    const bytes: Record<number, number> = { 5126: 4, 5125: 4 };
    for (const accessor of json.accessors) {
      const bv = json.bufferViews[accessor.bufferView];
      expect(bv.byteOffset + bv.byteLength).toBeLessThanOrEqual(binLength);
      expect(accessor.count * sizes[accessor.type]! * bytes[accessor.componentType]!).toBe(bv.byteLength);
    }
    expect(json.accessors[primitive.attributes.POSITION].count).toBe(63);
    expect(json.accessors[primitive.attributes.NORMAL].count).toBe(63);
    expect(json.accessors[primitive.attributes.COLOR_0].count).toBe(63);
    const indices = json.accessors[primitive.indices];
    expect(indices.count).toBe(8 * 6 * 6);
    const ib = json.bufferViews[indices.bufferView];
    const index = new Uint32Array(glb.slice(binAt + 8 + ib.byteOffset, binAt + 8 + ib.byteOffset + ib.byteLength));
    expect(Math.max(...index)).toBe(62);
    // POSITION's bounds (required by glTF) hold every position: the unit square, the value up (+Y).
    const position = json.accessors[primitive.attributes.POSITION];
    const pb = json.bufferViews[position.bufferView];
    const p = new Float32Array(glb.slice(binAt + 8 + pb.byteOffset, binAt + 8 + pb.byteOffset + pb.byteLength));
    for (let k = 0; k < 63; k++) for (let c = 0; c < 3; c++) {
      expect(p[3 * k + c]!).toBeGreaterThanOrEqual(position.min[c] - 1e-6);
      expect(p[3 * k + c]!).toBeLessThanOrEqual(position.max[c] + 1e-6);
    }
    expect(position.min[0]).toBeCloseTo(-0.5, 6);
    expect(position.max[0]).toBeCloseTo(0.5, 6);
    expect(position.min[1]).toBeCloseTo(0, 6);
  });
});
