import { beforeAll, describe, expect, it } from "vitest";
import { EngineInputError } from "./errors.js";
import { type LoadedModel, modelFromArtifacts } from "./network.js";
import { pathAxes, pcaDirections } from "./pca.js";
import { SeededRandom } from "./rng.js";
import { artifactsOf, buildMlp } from "./testing/builders.js";
import { useBackend } from "./testing/setup.js";

beforeAll(async () => {
  await useBackend("wasm");
});

function withTheta(model: LoadedModel, theta: Float32Array[]): LoadedModel {
  return { ...model, theta };
}

describe("PCA directions", () => {
  it("recover a trajectory that lies in a plane, with its distances and explained variance", async () => {
    const final = await modelFromArtifacts(await artifactsOf(buildMlp([6, 5, 3]), "sparse_categorical_crossentropy"));
    const rng = new SeededRandom(1, 3);
    // Two random directions over the kernels only (biases are ignored by default).
    const dir = () => final.params.map((p) => Float32Array.from({ length: p.size }, () => (p.role === "kernel" ? rng.nextGaussian() : 0)));
    const u = dir();
    const v = dir();
    const coords = [[3, 1], [2.2, 0.4], [1.5, -0.3], [0.8, 0.2], [0.3, 0.05]] as const;
    const checkpoints = coords.map(([a, b]) => withTheta(final, final.theta.map((t, i) => Float32Array.from(t, (w, k) => w + a * u[i]![k]! + b * v[i]![k]!))));
    const pca = pcaDirections(final, checkpoints);
    expect(pca.explainedVarianceRatio[0] + pca.explainedVarianceRatio[1]).toBeCloseTo(1, 5);
    expect(pca.explainedVarianceRatio[0]).toBeGreaterThan(pca.explainedVarianceRatio[1]);
    // Unit, orthogonal directions.
    const dot = (a: Float32Array[], b: Float32Array[]) => a.reduce((s, x, i) => s + x.reduce((t, e, k) => t + e * b[i]![k]!, 0), 0);
    expect(dot(pca.dx, pca.dx)).toBeCloseTo(1, 5);
    expect(dot(pca.dy, pca.dy)).toBeCloseTo(1, 5);
    expect(Math.abs(dot(pca.dx, pca.dy))).toBeLessThan(1e-5);
    // The path keeps every checkpoint's distance to the final model (it lies in the plane).
    coords.forEach(([a, b], i) => {
      const full = Math.sqrt(dot(u, u) * a * a + 2 * a * b * dot(u, v) + dot(v, v) * b * b);
      const p = pca.path[i]!;
      expect(Math.hypot(p.x, p.y)).toBeCloseTo(full, 3);
    });
  });

  it("refuses fewer than two checkpoints or identical ones", async () => {
    const final = await modelFromArtifacts(await artifactsOf(buildMlp([6, 5, 3]), "mse"));
    expect(() => pcaDirections(final, [final])).toThrow(EngineInputError);
    expect(() => pcaDirections(final, [final, final, final])).toThrow(EngineInputError);
  });
});

describe("a PCA plane fitted to its path", () => {
  it("holds every checkpoint and the final model with the margin on every side", () => {
    const path = [{ x: -4, y: 0.5 }, { x: -2.5, y: -0.2 }, { x: -1, y: 0.1 }, { x: -0.2, y: 0 }];
    const { x, y } = pathAxes(path, 0.25);
    // x: extent [-4, 0] (the origin is the final model), padded by 0.25 x 4 = 1 on each side.
    expect(x.min).toBeCloseTo(-5, 12);
    expect(x.max).toBeCloseTo(1, 12);
    // y: extent [-0.2, 0.5] = 0.7 is under a quarter of 4, so the pad is 0.25 x 1 = 0.25.
    expect(y.min).toBeCloseTo(-0.45, 12);
    expect(y.max).toBeCloseTo(0.75, 12);
    for (const p of [...path, { x: 0, y: 0 }]) {
      expect(p.x).toBeGreaterThan(x.min);
      expect(p.x).toBeLessThan(x.max);
      expect(p.y).toBeGreaterThan(y.min);
      expect(p.y).toBeLessThan(y.max);
    }
  });

  it("gives a path that never moves a unit square", () => {
    expect(pathAxes([{ x: 0, y: 0 }])).toEqual({ x: { min: -1, max: 1 }, y: { min: -1, max: 1 } });
  });
});
