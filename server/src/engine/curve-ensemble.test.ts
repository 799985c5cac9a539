/**
 * The ensemble along a curve (curve-ensemble.ts) against a direct computation: each member's
 * softmax outputs from a float64 forward pass of the MLP written out here, at the curve's closed
 * form, averaged, then the accuracy of the mean and of each end.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { initialBends } from "./curve-math.js";
import { ensembleAlongCurve } from "./curve-ensemble.js";
import { type Curve, curveEndpoints } from "./curves.js";
import type { Dataset } from "./data.js";
import { EngineInputError } from "./errors.js";
import { modelFromArtifacts } from "./network.js";
import { artifactsOf, buildMlp, randomDataset } from "./testing/builders.js";
import { useBackend } from "./testing/setup.js";

beforeAll(async () => {
  await useBackend("wasm");
});

/** Softmax outputs of a dense 4-6-3 network (ReLU, then softmax) in float64: kernels [in, out]. */
function forward(w: readonly Float64Array[], x: ArrayLike<number>): number[] {
  const [k1, b1, k2, b2] = w as [Float64Array, Float64Array, Float64Array, Float64Array];
  const h = Array.from({ length: 6 }, (_, j) => Math.max(0, b1[j]! + [0, 1, 2, 3].reduce((s, i) => s + x[i]! * k1[i * 6 + j]!, 0)));
  const z = Array.from({ length: 3 }, (_, c) => b2[c]! + h.reduce((s, v, j) => s + v * k2[j * 3 + c]!, 0));
  const top = Math.max(...z);
  const e = z.map((v) => Math.exp(v - top));
  const total = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / total);
}

const argmax = (row: readonly number[]) => row.indexOf(Math.max(...row));

describe("ensembling along a curve", () => {
  it("averages the softmax outputs of the models at K values of t: the same accuracies as a direct computation", async () => {
    const ends = curveEndpoints(await modelFromArtifacts(await artifactsOf(buildMlp([4, 6, 3], 1))), await modelFromArtifacts(await artifactsOf(buildMlp([4, 6, 3], 2))));
    expect(ends.model.params.map((p) => p.shape)).toEqual([[4, 6], [6], [6, 3], [3]]);
    // A bend well off the line, so the members differ from both ends and from the line's models.
    const bend = initialBends(ends.a, ends.b, 1, [true, true, true, true])[0]!.map((w, i) => w.map((v, e) => v + 0.6 * Math.sin(7 * e + i)));
    const curve: Curve = { kind: "bezier", bends: [bend] };
    const train = randomDataset(120, [4], 3, 11);
    const test = randomDataset(60, [4], 3, 12);
    const members = 7;
    const result = (await ensembleAlongCurve(ends, curve, train, test, { members }))!;
    expect(result.t).toEqual([0, 1, 2, 3, 4, 5, 6].map((k) => k / 6));

    const direct = (d: Dataset) => {
      const sum = Array.from({ length: d.count }, () => [0, 0, 0]);
      const right = (rows: number[][]) => rows.filter((r, s) => argmax(r) === d.y[s]).length / d.count;
      let a = 0;
      let b = 0;
      for (const t of result.t) {
        // The quadratic Bezier (1-t)^2 A + 2t(1-t) theta + t^2 B, written out.
        const w = ends.a.map((wa, i) => Float64Array.from(wa, (v, e) => (1 - t) ** 2 * v + 2 * t * (1 - t) * bend[i]![e]! + t ** 2 * ends.b[i]![e]!));
        const rows = Array.from({ length: d.count }, (_, s) => forward(w, d.x.subarray(s * 4, s * 4 + 4)));
        rows.forEach((r, s) => r.forEach((v, c) => (sum[s]![c]! += v)));
        if (t === 0) a = right(rows);
        if (t === 1) b = right(rows);
      }
      return { ensemble: right(sum), a, b };
    };
    expect(result.train).toEqual(direct(train));
    expect(result.test).toEqual(direct(test));
    // Two members are the two ends alone: their accuracies are the same models'.
    const single = await ensembleAlongCurve(ends, curve, train, null, { members: 2 });
    expect(single!.test).toBeNull();
    expect(single!.train.a).toBe(result.train.a);
    expect(single!.train.b).toBe(result.train.b);
  });

  it("refuses fewer than two members", async () => {
    const ends = curveEndpoints(await modelFromArtifacts(await artifactsOf(buildMlp([4, 6, 3], 1))), await modelFromArtifacts(await artifactsOf(buildMlp([4, 6, 3], 2))));
    const curve: Curve = { kind: "bezier", bends: initialBends(ends.a, ends.b, 1, [true, true, true, true]) };
    await expect(ensembleAlongCurve(ends, curve, randomDataset(10, [4], 3, 1), null, { members: 1 })).rejects.toThrow(EngineInputError);
  });
});
