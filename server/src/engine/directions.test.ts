import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cosine, encodeDirection, loadDirection, normalizeParameter, orthogonalize, randomDirection, saveDirection } from "./directions.js";
import { EngineInputError } from "./errors.js";
import { loadModel, modelFromArtifacts } from "./network.js";
import { artifactsOf, buildCnn, buildMlp, buildResidualCnn } from "./testing/builders.js";
import { useBackend } from "./testing/setup.js";

beforeAll(async () => {
  await useBackend("wasm");
});

/** Norm of filter j (slice j of the last axis) of a flat C-order array. */
function filterNorm(values: Float32Array, filters: number, j: number): number {
  let s = 0;
  for (let k = j; k < values.length; k += filters) s += values[k]! * values[k]!;
  return Math.sqrt(s);
}

describe("directions", () => {
  it("are filter-normalized exactly, with zero biases and BatchNorm under biasbn", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildResidualCnn(), "categorical_crossentropy"));
    const d = randomDirection(model, { seed: 4 });
    let kernels = 0;
    model.params.forEach((p, i) => {
      if (p.role === "kernel") {
        kernels++;
        const filters = p.shape[p.shape.length - 1]!;
        for (let j = 0; j < filters; j++) {
          const want = filterNorm(model.theta[i]!, filters, j);
          expect(Math.abs(filterNorm(d[i]!, filters, j) - want) / want).toBeLessThan(1e-6);
        }
      } else {
        expect(d[i]!.every((v) => v === 0)).toBe(true); // biases, gamma, beta, moving statistics
      }
    });
    expect(kernels).toBe(3);
  });

  it("keep 1-D parameters as the authors' code does under ignore none, and never move BatchNorm statistics", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildResidualCnn(), "categorical_crossentropy"));
    const d = randomDirection(model, { seed: 4, ignore: "none" });
    model.params.forEach((p, i) => {
      if (!p.trainable) expect(d[i]!.every((v) => v === 0)).toBe(true);
      else if (p.shape.length === 1) expect(d[i]).toEqual(model.theta[i]);
    });
  });

  it("normalize per layer, per weight and not at all", () => {
    const w = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const layer = Float32Array.from([3, 0, 0, 0, 0, 4]);
    normalizeParameter(layer, w, [3, 2], "layer");
    const norm = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
    expect(norm(layer)).toBeCloseTo(norm(w), 5);
    const weight = Float32Array.from([1, 1, 1, 1, 1, 2]);
    normalizeParameter(weight, w, [3, 2], "weight");
    expect([...weight]).toEqual([1, 2, 3, 4, 5, 12]);
    const none = Float32Array.from([7, 8]);
    normalizeParameter(none, w, [2], "none");
    expect([...none]).toEqual([7, 8]);
    // Filters of a [3, 2] kernel are its columns: [1,3,5] and [2,4,6].
    const filter = Float32Array.from([1, 0, 0, 0, 0, 1]);
    normalizeParameter(filter, w, [3, 2], "filter");
    expect(filter[0]).toBeCloseTo(Math.sqrt(35), 5);
    expect(filter[5]).toBeCloseTo(Math.sqrt(56), 5);
  });

  it("can be made orthogonal", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildMlp([10, 8, 3]), "mse"));
    const dx = randomDirection(model, {}, 0);
    const dy = randomDirection(model, {}, 1);
    expect(Math.abs(cosine(dx, orthogonalize(dx, dy)))).toBeLessThan(1e-6);
  });

  it("save to and load from the TF.js Layers format, loadable as the model itself", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildCnn(2, 3), "sparse_categorical_crossentropy"));
    const d = randomDirection(model, { seed: 9 });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "la-dir-"));
    await saveDirection(path.join(dir, "x"), model, d, { axis: "x", kind: "random", seed: 9, norm: "filter", ignore: "biasbn" });
    expect(await loadDirection(path.join(dir, "x"), model)).toEqual(d);
    const asModel = await loadModel(path.join(dir, "x"));
    expect(asModel.theta).toEqual(d);
    const { modelJson, weightsBin } = encodeDirection(model, d, { axis: "x", kind: "random" });
    expect(await loadDirection({ modelJson, shards: { "weights.bin": weightsBin } }, model)).toEqual(d);
    expect(JSON.parse(modelJson).userDefinedMetadata.lossAtlas.kind).toBe("random");
  });

  it("are refused, with a clear message, when their shapes do not match the model", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildMlp([10, 8, 3]), "mse"));
    const other = await modelFromArtifacts(await artifactsOf(buildMlp([10, 9, 3]), "mse"));
    const { modelJson, weightsBin } = encodeDirection(other, randomDirection(other), { axis: "x", kind: "random" });
    const error = await loadDirection({ modelJson, shards: { "weights.bin": weightsBin } }, model).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineInputError);
    expect((error as Error).message).toMatch(/shape \[10, 9\].*\[10, 8\]/);
  });

  it("are shared by two models of the same architecture even when their layer names differ", async () => {
    const a = await modelFromArtifacts(await artifactsOf(buildMlp([10, 8, 3], 1), "mse"));
    const b = await modelFromArtifacts(await artifactsOf(buildMlp([10, 8, 3], 2), "mse"));
    expect(a.params[0]!.name).not.toBe(b.params[0]!.name);
    const { modelJson, weightsBin } = encodeDirection(a, randomDirection(a), { axis: "x", kind: "random" });
    expect((await loadDirection({ modelJson, shards: { "weights.bin": weightsBin } }, b)).map((t) => t.length)).toEqual(b.theta.map((t) => t.length));
  });
});
