import { describe, expect, it } from "vitest";
import { surfaceSvg } from "../export";
import { emptyGrid, type SurfaceGrid } from "../grid";
import { chooseScale, makeScale, valueStats } from "../scale";
import { compareAspect, compareColumns, compareSvg, differenceOf } from "./compare";
import { crc32, withDpi } from "./files";
import { sizeInPixels, sizeInPoints } from "./theme";

/** A bowl centred at (cx, 0): loss (a - cx)² + b² + 0.1. */
function bowl(cx: number, n = 21): SurfaceGrid {
  const xs = Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
  const grid = emptyGrid(xs, xs);
  xs.forEach((y, j) => xs.forEach((x, i) => { grid.loss[j * n + i] = (x - cx) ** 2 + y ** 2 + 0.1; }));
  return grid;
}

const parse = (svg: string) => {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  expect(doc.getElementsByTagName("parsererror")).toHaveLength(0);
  return doc;
};
const texts = (doc: Document, selector = "text") => [...doc.querySelectorAll(selector)].map((t) => t.textContent);

describe("paper figures", () => {
  it("are white, sized in inches, with small text, and carry the notes, the path and the critical points", () => {
    const grid = bowl(0);
    const scale = chooseScale("linear", [valueStats(grid.loss)], { min: null, max: null, capped: false }).scale;
    const doc = parse(surfaceSvg({
      title: "Iris MLP", axisTitles: ["a", "b"], valueTitle: "Loss", grid, values: grid.loss, scale, map: "coolwarm", dataMax: null,
      criticalPoints: [{ kind: "MINIMUM", i: 10, j: 10, x: 0, y: 0, value: 0.1, persistence: 1 }],
      path: [{ step: 0, x: 0.8, y: 0.8 }, { step: 50, x: 0.3, y: 0.2 }, { step: 100, x: 0, y: 0 }] as never,
      annotations: [{ x: 0.5, y: -0.5, label: "wide basin", kind: "NOTE" }],
      theme: "paper", size: { width: 3.25, height: 2.8, unit: "in", dpi: 300 },
    }));
    const root = doc.documentElement;
    expect(root.getAttribute("width")).toBe("3.25in");
    expect(root.getAttribute("viewBox")).toBe("0 0 234 201.6");
    expect(doc.querySelector("svg > rect")!.getAttribute("fill")).toBe("#ffffff");
    const sizes = [...doc.querySelectorAll("[font-size]")].map((e) => Number(e.getAttribute("font-size")));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8);
    expect(texts(doc, ".annotation-label")).toEqual(["wide basin"]);
    expect(doc.querySelectorAll(".pin")).toHaveLength(1);
    expect(doc.querySelector(".optimizer-path")!.getAttribute("points")!.split(" ")).toHaveLength(3);
    // The minimum is its glyph (a downward triangle: three corners, the lowest under the point),
    // the note a circle, and the key under the plot names both.
    const minimum = doc.querySelectorAll("path.critical.minimum");
    expect(minimum).toHaveLength(1);
    const corners = minimum[0]!.getAttribute("d")!.match(/[ML][\d.-]+ [\d.-]+/g)!.map((c) => c.slice(1).split(" ").map(Number));
    expect(corners).toHaveLength(3);
    expect(Math.max(...corners.map((c) => c[1]!))).toBe(corners[0]![1]);
    expect(doc.querySelector("circle.pin")).not.toBeNull();
    expect(texts(doc, ".mark-key text")).toEqual(["minimum", "note"]);
    expect(doc.querySelectorAll(".mark-key path.key-minimum, .mark-key circle.key-note")).toHaveLength(2);
    // coolwarm is no map for values on paper: the heatmap and bar are viridis (its purple low end).
    expect(doc.querySelector(".colour-bar stop")!.getAttribute("stop-color")).toBe("rgb(68,1,84)");
    // The plot is inside the page, its square fits.
    const plot = doc.querySelector(".data")!.previousElementSibling!.querySelector("rect")!;
    expect(Number(plot.getAttribute("x")) + Number(plot.getAttribute("width"))).toBeLessThan(234);
    expect(Number(plot.getAttribute("y")) + Number(plot.getAttribute("height"))).toBeLessThan(201.6);
  });

  it("convert sizes: 3.25 in at 300 DPI is 975 pixels and 234 points; pixels keep their count", () => {
    expect(sizeInPixels({ width: 3.25, height: 2, unit: "in", dpi: 300 })).toEqual({ w: 975, h: 600 });
    expect(sizeInPoints({ width: 3.25, height: 2, unit: "in", dpi: 300 })).toEqual({ w: 234, h: 144 });
    expect(sizeInPixels({ width: 1200, height: 800, unit: "px", dpi: 150 })).toEqual({ w: 1200, h: 800 });
    expect(sizeInPoints({ width: 1200, height: 800, unit: "px", dpi: 150 })).toEqual({ w: 576, h: 384 });
  });
});

describe("comparison figures", () => {
  it("hold every panel titled, one shared colour bar, and the difference A − B on a diverging bar", () => {
    const a = bowl(-0.3);
    const b = bowl(0.3);
    const scale = chooseScale("linear", [valueStats(a.loss)!, valueStats(b.loss)!], { min: null, max: null, capped: false }).scale;
    const d = differenceOf(a.loss, b.loss);
    const diffScale = makeScale("linear", -d.extent, d.extent);
    const panel = (grid: SurfaceGrid) => ({ grid, values: grid.loss, scale, map: "viridis" as const, axisTitles: ["a", "b"] as [string, string], valueTitle: "Loss" });
    const doc = parse(compareSvg({
      title: "Skip connections", theme: "paper", size: { width: 6.75, height: 2.6, unit: "in", dpi: 300 },
      panels: [
        { title: "A", names: "with", data: panel(a) },
        { title: "B", names: "without", data: panel(b), bar: { scale, map: "viridis", title: "Loss", dataMax: null } },
        { title: "A − B", names: "with − without", difference: true, data: { ...panel(a), values: d.values, scale: diffScale }, bar: { scale: diffScale, map: "coolwarm", title: "Loss, A − B", dataMax: null } },
      ],
    }));
    expect(texts(doc, ".panel-title")).toEqual(["A", "B", "A − B"]);
    expect(texts(doc, ".panel-names")).toEqual(["with", "without", "with − without"]);
    expect(doc.querySelectorAll(".panel")).toHaveLength(3);
    expect(doc.querySelectorAll(".colour-bar")).toHaveLength(2);
    expect(texts(doc, ".colour-bar .axis-title")).toEqual(["Loss", "Loss, A − B"]);
    // Clip paths and gradients are one per panel and bar: ids never repeat.
    const ids = [...doc.querySelectorAll("[id]")].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Panels do not overlap and stay on the page.
    const boxes = [...doc.querySelectorAll(".panel > rect")].map((r) => ({ x: Number(r.getAttribute("x")), w: Number(r.getAttribute("width")) }));
    for (let k = 1; k < boxes.length; k++) expect(boxes[k]!.x).toBeGreaterThan(boxes[k - 1]!.x + boxes[k - 1]!.w);
    expect(boxes.at(-1)!.x + boxes.at(-1)!.w).toBeLessThan(6.75 * 72);
    // A − B: at a = -0.3 (A's minimum) A is lower, so the difference is negative; 0 on the mid line.
    const n = a.nx;
    const at = (x: number, y: number) => d.values[Math.round((y + 1) * 10) * n + Math.round((x + 1) * 10)]!;
    expect(at(-0.3, 0)).toBeCloseTo(-0.36, 5);
    expect(at(0, 0.5)).toBeCloseTo(0, 5);
    expect(d.extent).toBeCloseTo(1.2, 5); // (a + 0.3)² - (a - 0.3)² = 1.2a, largest at a = ±1
    expect(d.clipped).toBe(false);
    // Under a cap, the difference's scale is the capped span, and says it is clipped.
    expect(differenceOf(a.loss, b.loss, 0.5)).toMatchObject({ extent: 0.5, clipped: true });
  });
});

describe("comparison figures of many panels", () => {
  it("lay out up to four panels in one row and more in rows of two, every panel whole and on the page", () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(compareColumns)).toEqual([1, 2, 3, 4, 2, 2, 2]);
    // One row keeps its shape; rows of two are taller than wide.
    expect(compareAspect(2)).toBeCloseTo(1.45 / 2.8, 10);
    expect(compareAspect(6)).toBeGreaterThan(1);
    const grid = bowl(0);
    const scale = chooseScale("linear", [valueStats(grid.loss)!], { min: null, max: null, capped: false }).scale;
    const panel = { grid, values: grid.loss, scale, map: "viridis" as const, axisTitles: ["a", "b"] as [string, string], valueTitle: "Loss" };
    const width = 6.75;
    const height = width * compareAspect(6);
    const doc = parse(compareSvg({
      title: "Depth", theme: "paper", size: { width, height, unit: "in", dpi: 300 },
      panels: ["A", "B", "C", "D", "E", "F"].map((title, k) => ({ title, names: `run ${k}`, data: panel, ...(k === 5 ? { bar: { scale, map: "viridis" as const, title: "Loss", dataMax: null } } : {}) })),
    }));
    expect(texts(doc, ".panel-title")).toEqual(["A", "B", "C", "D", "E", "F"]);
    const boxes = [...doc.querySelectorAll(".panel > rect")].map((r) => ({ x: Number(r.getAttribute("x")), y: Number(r.getAttribute("y")), w: Number(r.getAttribute("width")), h: Number(r.getAttribute("height")) }));
    // Three rows of two: A and B share a row, C starts the next one under A.
    expect(new Set(boxes.map((b) => b.y)).size).toBe(3);
    expect(new Set(boxes.map((b) => b.x)).size).toBe(2);
    expect(boxes[1]!.y).toBe(boxes[0]!.y);
    expect(boxes[2]!.x).toBe(boxes[0]!.x);
    expect(boxes[2]!.y).toBeGreaterThan(boxes[0]!.y + boxes[0]!.h);
    expect(boxes[1]!.x).toBeGreaterThan(boxes[0]!.x + boxes[0]!.w);
    // Square panels, all on the page, filling a good part of it.
    for (const b of boxes) {
      expect(b.w).toBeCloseTo(b.h, 6);
      expect(b.x + b.w).toBeLessThan(width * 72);
      expect(b.y + b.h).toBeLessThan(height * 72);
    }
    expect(boxes[0]!.w).toBeGreaterThan(width * 72 * 0.3);
    // A row's titles stand clear of the x axis of the row above.
    const titleY = [...doc.querySelectorAll(".panel-title")].map((t) => Number(t.getAttribute("y")));
    expect(titleY[2]!).toBeGreaterThan(boxes[0]!.y + boxes[0]!.h + 20);
  });
});

describe("PNG resolution", () => {
  it("is recorded as a pHYs chunk with its CRC, after the header", () => {
    expect(crc32(new TextEncoder().encode("IEND"))).toBe(0xae426082);
    const header = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, ...new Array(25).fill(0), 0, 0, 0, 0, 73, 69, 78, 68, 0xae, 0x42, 0x60, 0x82]);
    const out = withDpi(header, 300);
    const view = new DataView(out.buffer);
    expect(String.fromCharCode(...out.subarray(37, 41))).toBe("pHYs");
    expect(view.getUint32(33)).toBe(9);
    expect(view.getUint32(41)).toBe(11811);
    expect(view.getUint32(45)).toBe(11811);
    expect(out[49]).toBe(1);
    expect(view.getUint32(50)).toBe(crc32(out.subarray(37, 50)));
    expect(String.fromCharCode(...out.subarray(58, 62))).toBe("IEND");
  });
});
