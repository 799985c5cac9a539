import { describe, expect, it } from "vitest";
import type { Experiment, TrainingRun } from "../api/training-types";
import type { SurfaceSummary } from "../api/types";
import { rolesBySurface } from "./ComparePage";
import { experimentView } from "./ExperimentPage";
import { panelTitle } from "../training/NormalizationPairs";
import { latestRun, pcaSurfaceInput } from "./TrainingRunPage";

const surface = (id: string, status: SurfaceSummary["status"]) => ({ id, status }) as SurfaceSummary;
const run = (over: Partial<TrainingRun>): TrainingRun => ({
  id: "r1", name: "run", projectId: "p1", status: "RUNNING", stepsDone: 0, stepsTotal: 10, role: null, createdAt: "", finishedAt: null,
  datasetId: "d1", testDatasetId: null, modelId: null, errorCode: null, errorMessage: null,
  architecture: { kind: "MLP", depth: 2, width: 8, residual: false, channels: null, blocks: null, downsample: null, modelId: null },
  options: { optimizer: "SGD", learningRate: 0.05, batchSize: 32, weightDecay: 0, epochs: 3, seed: 0, checkpointEvery: 2, samples: null },
  curve: [], ...over,
});

describe("experiment page", () => {
  it("opens the compare view once every surface is ready, and a trajectory's one PCA plane", () => {
    expect(experimentView({ id: "e1", kind: "SKIP", surfaces: [] })).toBeNull();
    expect(experimentView({ id: "e1", kind: "SKIP", surfaces: [surface("a", "READY"), surface("b", "RUNNING")] })).toBeNull();
    expect(experimentView({ id: "e1", kind: "SKIP", surfaces: [surface("a", "READY"), surface("b", "READY")] })).toEqual({
      href: "/compare?ids=a,b&experiment=e1", label: "Open in compare view",
    });
    expect(experimentView({ id: "e2", kind: "TRAJECTORY", surfaces: [surface("p", "READY")] })).toEqual({ href: "/surfaces/p", label: "Open the PCA plane" });
    // What filter normalization fixes is read pair by pair on the page itself, each panel with its own compare link.
    expect(experimentView({ id: "e3", kind: "NORMALIZATION", surfaces: [surface("a", "READY"), surface("b", "READY")] })).toBeNull();
  });

  it("names the panels of a normalization pair as the paper's rows", () => {
    const roles = ["batch 8", "batch 100"];
    expect(panelTitle({ kind: "interpolation", normalization: null }, roles)).toBe("Interpolation from batch 8 (t = 0) to batch 100 (t = 1)");
    expect(panelTitle({ kind: "line", normalization: "NONE" }, roles)).toBe("1D slices without normalization");
    expect(panelTitle({ kind: "plane", normalization: "FILTER" }, roles)).toBe("Planes with filter normalization");
  });

  it("opens a connectivity experiment's curve once it is ready", () => {
    const curve = (status: NonNullable<Experiment["curve"]>["status"]) => ({ id: "c1", status }) as NonNullable<Experiment["curve"]>;
    expect(experimentView({ id: "e3", kind: "CONNECTIVITY", surfaces: [], curve: null })).toBeNull();
    expect(experimentView({ id: "e3", kind: "CONNECTIVITY", surfaces: [], curve: curve("RUNNING") })).toBeNull();
    expect(experimentView({ id: "e3", kind: "CONNECTIVITY", surfaces: [], curve: curve("READY") })).toEqual({ href: "/curves/c1", label: "Open the curve" });
  });

  it("titles compared surfaces with their run's role, in the order of the runs", () => {
    const roles = rolesBySurface({
      id: "e1", name: "", caption: "",
      runs: [{ id: "r1", role: "without skip connections" }, { id: "r2", role: "with skip connections" }],
      surfaces: [{ id: "a" }, { id: "b" }],
    });
    expect(roles.get("a")).toBe("without skip connections");
    expect(roles.get("b")).toBe("with skip connections");
    // A depth sweep maps its deepest pair only: the two maps after the planes belong to the last runs.
    const depth = rolesBySurface({
      id: "e2", name: "", caption: "",
      runs: ["ResNet-8-noshort", "ResNet-8", "ResNet-20-noshort", "ResNet-20"].map((role, k) => ({ id: `r${k}`, role })),
      surfaces: ["p0", "p1", "p2", "p3", "m2", "m3"].map((id) => ({ id })),
    });
    expect(["p0", "p3", "m2", "m3"].map((id) => depth.get(id))).toEqual(["ResNet-8-noshort", "ResNet-20", "ResNet-20-noshort", "ResNet-20"]);
    // The frames of a landscape over training have no role of their own.
    const frames = rolesBySurface({ id: "e3", name: "", caption: "", runs: [{ id: "r", role: "training run" }], surfaces: ["s", "f1", "f2", "f3"].map((id) => ({ id })) });
    expect([...frames.keys()]).toEqual(["s"]);
  });
});

describe("training run page", () => {
  it("never goes back to an older answer about the run", () => {
    const a = run({ stepsDone: 4, curve: [{ step: 2, epoch: 0.4, trainLoss: 1, trainAccuracy: 0.3, testLoss: null, testAccuracy: null }] });
    const older = run({ stepsDone: 2 });
    const done = run({ status: "READY", stepsDone: 10 });
    expect(latestRun(null, a)).toBe(a);
    expect(latestRun(a, older)).toBe(a);
    expect(latestRun(a, done)).toBe(done);
    expect(latestRun(done, run({ status: "RUNNING", stepsDone: 10 }))).toBe(done);
    expect(latestRun(a, run({ id: "r2" })).id).toBe("r2");
  });

  it("makes a PCA plane of the trained model on the run's data, its grid fitted to the path", () => {
    expect(pcaSurfaceInput(run({ modelId: "m1", name: "small", options: { ...run({}).options, samples: 100 } }))).toEqual({
      projectId: "p1", kind: "PCA", modelId: "m1", datasetId: "d1", name: "PCA plane of small",
      params: { x: { min: -2, max: 2, count: 21 }, y: { min: -2, max: 2, count: 21 }, fitPath: true, samples: 100 },
    });
  });
});
