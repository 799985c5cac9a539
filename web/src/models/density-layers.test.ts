import { describe, expect, it } from "vitest";
import { DENSITY_DECADES, densityGeometry, densityLayers } from "./density-layers";

describe("eigenvalue density geometry", () => {
  const x = Array.from({ length: 101 }, (_, i) => -1 + (i * 11) / 100);
  const density = x.map((t) => Math.exp(-0.5 * (t / 0.1) ** 2) + 1e-3 * Math.exp(-0.5 * ((t - 9) / 0.2) ** 2));

  it("spans the canvas on a log scale of DENSITY_DECADES decades under the peak", () => {
    const g = densityGeometry(x, density, [0, 9], 600, 300);
    expect(g.path).toHaveLength(101);
    const xsPx = g.path.map((p) => p[0]);
    expect(Math.min(...xsPx)).toBe(64);
    expect(Math.max(...xsPx)).toBe(584);
    const ys = g.path.map((p) => p[1]);
    // The peak near 1 sits below the top decade's line, the small outlier well above the floor.
    const top = Math.max(...ys);
    expect(top).toBeLessThanOrEqual(288);
    expect(top).toBeGreaterThan(200);
    const outlier = g.path[Math.round((9 + 1) / 0.11)]![1];
    expect(outlier).toBeGreaterThan(44 + (288 - 44) * (2 / DENSITY_DECADES));
    expect(Math.min(...ys)).toBe(44);
    expect(g.nodes.map((n) => n.position[0])).toEqual([64 + (1 / 11) * 520, 64 + (10 / 11) * 520]);
    expect(g.labels.some((l) => l.text === "eigenvalue")).toBe(true);
  });

  it("gives layers with stable ids", () => {
    const layers = densityLayers("d", densityGeometry(x, density, [], 400, 200));
    expect(layers.map((l) => l.id)).toEqual(["d-gridlines", "d-axes", "d-density", "d-nodes", "d-labels"]);
  });
});
