import { describe, expect, it } from "vitest";
import { DEFAULT_EXPORT, SCREEN_SIZE } from "../plot/figure/theme";
import { curveLineSvg, curvePlaneSvg } from "./curve-export";
import { type CurveValues, curveFigures } from "./curve-values";

const xs = [-0.5, 0, 0.5, 1, 1.5];
const ys = [-0.5, 0, 0.5, 1];
const values: CurveValues = {
  t: [0, 0.5, 1],
  batchNormRecomputed: false,
  ensemble: null,
  plane: {
    xs, ys,
    // A valley along the curve's arc: low near y = 0.5 - 2(x - 0.5)², high elsewhere.
    loss: ys.map((y) => xs.map((x) => 0.1 + (y - 2 * x * (1 - x)) ** 2)),
    accuracy: ys.map(() => xs.map(() => 0.9)),
    models: [{ x: 0, y: 0, name: "model A" }, { x: 1, y: 0, name: "model B" }, { x: 0.5, y: 1, name: "theta" }],
    curve: [{ x: 0, y: 0, t: 0 }, { x: 0.5, y: 0.5, t: 0.5 }, { x: 1, y: 0, t: 1 }],
    line: [{ x: 0, y: 0, t: 0 }, { x: 1, y: 0, t: 1 }],
    offPlane: 0,
  },
  curve: { trainLoss: [0.1, 0.15, 0.12], trainAccuracy: [0.9, 0.88, 0.91], testLoss: [0.2, 0.3, 0.25], testAccuracy: [0.8, 0.75, 0.8] },
  line: { trainLoss: [0.1, 0.9, 0.12], trainAccuracy: [0.9, 0.4, 0.91], testLoss: [0.2, 1.1, 0.25], testAccuracy: [0.8, 0.35, 0.8] },
  curveBarriers: { trainLoss: 0.04, trainAccuracy: 0.025, testLoss: 0.075, testAccuracy: 0.05 },
  lineBarriers: { trainLoss: 0.79, trainAccuracy: 0.505, testLoss: 0.875, testAccuracy: 0.45 },
};

const parse = (svg: string) => {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  expect(doc.getElementsByTagName("parsererror")).toHaveLength(0);
  return doc;
};
const texts = (doc: Document, selector: string) => [...doc.querySelectorAll(selector)].map((t) => t.textContent);

describe("a curve's exported figures", () => {
  it("along t: loss and accuracy of the curve (solid) and the line (dashed) on twin axes, A and B at their own losses", () => {
    const [train, test] = curveFigures(values);
    const doc = parse(curveLineSvg(train!, "A to B", "paper", DEFAULT_EXPORT));
    expect(doc.querySelector("svg > rect")!.getAttribute("fill")).toBe("#ffffff");
    expect(texts(doc, ".subtitle")[0]).toMatch(/^Training data/);
    const solid = [...doc.querySelectorAll('polyline[data-series="0"]')];
    const dashed = [...doc.querySelectorAll('polyline[data-series="1"]')];
    expect(solid.map((p) => p.getAttribute("class")).sort()).toEqual(["accuracy", "loss"]);
    expect(solid.every((p) => !p.hasAttribute("stroke-dasharray"))).toBe(true);
    expect(dashed.every((p) => p.hasAttribute("stroke-dasharray"))).toBe(true);
    expect(texts(doc, ".legend-entry").join(" | ")).toContain("straight line A to B (dashed): loss (left axis)");
    expect(texts(doc, ".model-name")).toEqual(["A", "B"]);
    expect(texts(doc, ".axis-title")).toEqual(expect.arrayContaining(["t", "Loss", "Accuracy"]));
    // The line's peak (0.9) is on the figure: the loss axis reaches it.
    const lossTicks = texts(doc, ".loss-axis text").map(Number).filter(Number.isFinite);
    expect(Math.max(...lossTicks)).toBeGreaterThanOrEqual(0.8);
    // The test figure in the dark theme.
    const dark = parse(curveLineSvg(test!, "A to B", "dark", SCREEN_SIZE));
    expect(texts(dark, ".subtitle")[0]).toMatch(/^Test data/);
    expect(dark.querySelector("svg > rect")!.getAttribute("fill")).not.toBe("#ffffff");
  });

  it("the plane: the heatmap with the curve, the dashed line and A, B and theta by name", () => {
    const doc = parse(curvePlaneSvg(values.plane!, "A to B", "paper", DEFAULT_EXPORT));
    expect(doc.querySelector(".optimizer-path")!.getAttribute("points")!.split(" ")).toHaveLength(3);
    const guide = doc.querySelector("polyline.guide")!;
    expect(guide.getAttribute("points")!.split(" ")).toHaveLength(2);
    expect(guide.hasAttribute("stroke-dasharray")).toBe(true);
    expect(texts(doc, ".model-name")).toEqual(["A", "B", "theta"]);
    expect(doc.querySelectorAll("circle.model-point")).toHaveLength(3);
    expect(texts(doc, ".colour-bar text")).toContain("Training loss");
    // theta lies above A and B (y = 1 against 0): its point is drawn higher on the page.
    const [a, , theta] = [...doc.querySelectorAll("circle.model-point")].map((c) => Number(c.getAttribute("cy")));
    expect(theta!).toBeLessThan(a!);
  });

  it("the plane with the notes pinned on it, each a pin with its label where it lies", () => {
    expect(parse(curvePlaneSvg(values.plane!, "A to B", "paper", DEFAULT_EXPORT)).querySelectorAll("circle.pin")).toHaveLength(0);
    const doc = parse(curvePlaneSvg(values.plane!, "A to B", "paper", DEFAULT_EXPORT, [{ x: 0.5, y: 0.5, label: "low ridge", kind: "NOTE" }, { x: 1, y: 0, label: "at B", kind: "MINIMUM" }]));
    expect(texts(doc, ".annotation-label")).toEqual(["low ridge", "at B"]);
    const [ridge, atB] = [...doc.querySelectorAll("circle.pin")].map((c) => ({ x: Number(c.getAttribute("cx")), y: Number(c.getAttribute("cy")) }));
    // The note at B is drawn where B's model point is; the ridge left of it and higher on the page.
    const b = doc.querySelectorAll("circle.model-point")[1]!;
    expect(atB!.x).toBeCloseTo(Number(b.getAttribute("cx")), 3);
    expect(atB!.y).toBeCloseTo(Number(b.getAttribute("cy")), 3);
    expect(ridge!.x).toBeLessThan(atB!.x);
    expect(ridge!.y).toBeLessThan(atB!.y);
  });
});
