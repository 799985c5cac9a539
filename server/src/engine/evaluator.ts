/**
 * The fast path: loss and accuracy of L(origin + a*dx + b*dy) at many points (a, b).
 *
 * Where the speed comes from (DESIGN.md section 5):
 * - data, theta and directions live on the backend for the evaluator's whole life; each point's
 *   weights are built there with tensor ops, and a tile of points is read back once;
 * - data-outer, grid-inner: each batch is prepared once and then every point of the tile runs on it;
 * - everything that does not depend on (a, b) (the layers before the first moving weight) is
 *   computed once per batch and cached;
 * - the first-layer linearity trick: a Dense/Conv layer whose input is fixed is linear in its
 *   weights, so X(W + a*Dx + b*Dy) = XW + a*XDx + b*XDy. The three products are computed once per
 *   batch; a point then costs two element-wise ops (XW + b*XDy is shared along a row). It is
 *   chosen per layer (see decideTricks), because for a conv layer with few input channels the
 *   element-wise ops over its large output can cost more than the convolution itself.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PreparedData } from "./data.js";
import type { Direction } from "./directions.js";
import { applyActivation, forwardLayer, LINEAR_IN_WEIGHTS, linearLayer } from "./layers.js";
import { isCategorical, lossAndCorrect, type BatchTargets, type LossSpec, type OutputForm } from "./loss.js";
import type { LoadedModel, Step } from "./network.js";

/** The plane (or line) being evaluated: origin + a*dx + b*dy. */
export interface Plane {
  readonly origin: readonly Float32Array[];
  readonly dx: Direction;
  /** Null for 1D surfaces (b is ignored). */
  readonly dy: Direction | null;
}

export interface EvaluatorOptions {
  /** Samples per batch; default 10,000 (one matmul per layer and point over the usual evaluation sets). */
  readonly batchSize?: number;
  /** First-layer linearity trick: "auto" (default) times both ways per layer; "always"; "never". */
  readonly firstLayerTrick?: "auto" | "always" | "never";
  /** Bytes of per-batch precomputation kept on the backend between tiles; default 512 MiB. */
  readonly cacheBytes?: number;
}

/** Loss (mean over samples) and accuracy (fraction correct, NaN for regression) per point. */
export interface PointValues {
  readonly loss: Float64Array;
  readonly accuracy: Float64Array;
}

interface Batch {
  readonly x: tf.Tensor;
  readonly targets: BatchTargets;
}

interface TrickProducts {
  /** X W + bias (pre-activation at the origin), X Dx (+ bias dx), X Dy (+ bias dy). */
  readonly p0: tf.Tensor;
  readonly p1: tf.Tensor | null;
  readonly p2: tf.Tensor | null;
}

interface BatchCache {
  readonly values: Map<number, tf.Tensor>;
  readonly tricks: Map<number, TrickProducts>;
  readonly bytes: number;
}

const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;

function isZero(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return false;
  return true;
}

export class SurfaceEvaluator {
  /** Names of the layers that use the first-layer trick, for reports. */
  readonly trickLayers: string[] = [];
  private readonly origin: tf.Tensor[];
  private readonly dx: (tf.Tensor | null)[];
  private readonly dy: (tf.Tensor | null)[];
  private readonly batches: Batch[];
  private readonly constantSteps: Step[] = [];
  private readonly movingSteps: Step[] = [];
  private readonly tricked = new Set<number>();
  private readonly trickable = new Set<number>();
  private readonly form: OutputForm;
  private caches: (BatchCache | null)[];
  private keepCaches = true;
  private decided = false;

  private constructor(
    private readonly model: LoadedModel,
    private readonly data: PreparedData,
    private readonly loss: LossSpec,
    plane: Plane,
    private readonly options: EvaluatorOptions,
  ) {
    const upload = (d: Direction | null, i: number) => {
      const v = d?.[i];
      return v === undefined || isZero(v) ? null : tf.tensor(v, model.params[i]!.shape as number[], "float32");
    };
    this.origin = model.params.map((p, i) => tf.tensor(plane.origin[i]!, p.shape as number[], "float32"));
    this.dx = model.params.map((_, i) => upload(plane.dx, i));
    this.dy = model.params.map((_, i) => upload(plane.dy, i));
    // Keras fuses softmax/sigmoid into cross-entropy; so does the engine (see loss.ts).
    const categorical = isCategorical(loss) && !loss.fromLogits && model.outputActivation === "softmax";
    const binary = loss.name === "binary_crossentropy" && !loss.fromLogits && model.outputActivation === "sigmoid";
    this.form = categorical ? "softmax-logits" : binary ? "sigmoid-logits" : "values";

    const constant = new Set<number>([model.inputValue]);
    for (const step of model.steps) {
      if (step.output === model.inputValue) continue;
      const moves = Object.values(step.params).some((i) => this.dx[i] !== null || this.dy[i] !== null);
      const fixedInput = step.inputs.every((v) => constant.has(v));
      if (fixedInput && !moves) {
        constant.add(step.output);
        this.constantSteps.push(step);
      } else {
        this.movingSteps.push(step);
        if (fixedInput && LINEAR_IN_WEIGHTS.has(step.className)) this.trickable.add(step.output);
      }
    }
    if (options.firstLayerTrick === "always") {
      for (const v of this.trickable) this.tricked.add(v);
    }
    this.batches = this.makeBatches();
    this.caches = this.batches.map(() => null);
  }

  /** Uploads model, data and plane to the active backend; dispose() frees them. */
  static create(model: LoadedModel, data: PreparedData, loss: LossSpec, plane: Plane, options: EvaluatorOptions = {}): SurfaceEvaluator {
    return new SurfaceEvaluator(model, data, loss, plane, options);
  }

  private makeBatches(): Batch[] {
    const { data } = this;
    const size = Math.max(1, Math.min(this.options.batchSize ?? 10_000, data.count));
    const per = data.x.length / data.count;
    const batches: Batch[] = [];
    for (let start = 0; start < data.count; start += size) {
      const n = Math.min(size, data.count - start);
      const x = tf.tensor(data.x.subarray(start * per, (start + n) * per), [n, ...data.inputShape], "float32");
      const y = tf.tensor2d(data.y.subarray(start * data.targetWidth, (start + n) * data.targetWidth), [n, data.targetWidth], "float32");
      const classes = data.classes ? tf.tensor1d(data.classes.subarray(start, start + n), "int32") : null;
      const rowSums = data.rowSums ? tf.tensor1d(data.rowSums.subarray(start, start + n), "float32") : null;
      batches.push({ x, targets: { y, classes, rowSums, oneHot: data.oneHot } });
    }
    return batches;
  }

  /** The layer's weights at (a, b): origin + a*dx + b*dy for moving ones (inside a tidy). */
  private weightsAt(step: Step, a: number, b: number): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [key, i] of Object.entries(step.params)) {
      let w = this.origin[i]!;
      const dx = this.dx[i];
      const dy = this.dy[i];
      if (dx) w = tf.add(w, tf.mul(dx, a));
      if (dy) w = tf.add(w, tf.mul(dy, b));
      out[key] = w;
    }
    return out;
  }

  private activationOf(step: Step): string | undefined {
    // The final softmax/sigmoid is left to the loss (see `form`).
    return step.output === this.model.outputValue && this.form !== "values" ? "linear" : undefined;
  }

  private buildCache(batch: Batch): BatchCache {
    const values = new Map<number, tf.Tensor>([[this.model.inputValue, batch.x]]);
    const tricks = new Map<number, TrickProducts>();
    const kept: tf.Tensor[] = [];
    for (const step of this.constantSteps) {
      const out = tf.tidy(() => forwardLayer(step.className, step.config, step.inputs.map((v) => values.get(v)!), this.weightsAt(step, 0, 0), this.activationOf(step)));
      values.set(step.output, out);
      if (out !== batch.x) kept.push(out);
    }
    for (const step of this.movingSteps) {
      if (!this.tricked.has(step.output)) continue;
      const x = values.get(step.inputs[0]!)!;
      const kernelKey = Object.keys(step.params).find((k) => k.endsWith("kernel"))!;
      const k = step.params[kernelKey]!;
      const bias = step.params.bias;
      const product = (dir: (tf.Tensor | null)[], base: boolean): tf.Tensor | null => {
        const kernel = base ? this.origin[k]! : dir[k] ?? null;
        const b = bias === undefined ? undefined : base ? this.origin[bias] : dir[bias] ?? undefined;
        if (kernel === null && b === undefined) return null;
        return tf.tidy(() => linearLayer(step.className, step.config, x, kernel ?? tf.zerosLike(this.origin[k]!), b, "linear"));
      };
      const p = { p0: product(this.origin, true)!, p1: product(this.dx, false), p2: product(this.dy, false) };
      tricks.set(step.output, p);
      kept.push(...[p.p0, p.p1, p.p2].filter((t): t is tf.Tensor => t !== null));
    }
    // Keep only the constant values that moving steps read; the rest can go now.
    const needed = new Set<number>();
    for (const step of this.movingSteps) if (!this.tricked.has(step.output)) step.inputs.forEach((v) => needed.add(v));
    needed.add(this.model.outputValue);
    for (const [v, t] of values) {
      if (!needed.has(v)) {
        values.delete(v);
        if (t !== batch.x) t.dispose();
      }
    }
    const bytes = [...values.values(), ...kept].reduce((s, t) => s + (t === batch.x ? 0 : t.size * 4), 0);
    return { values, tricks, bytes };
  }

  private disposeCache(batch: Batch, cache: BatchCache): void {
    for (const t of cache.values.values()) if (t !== batch.x) t.dispose();
    for (const p of cache.tricks.values()) for (const t of [p.p0, p.p1, p.p2]) t?.dispose();
  }

  /** Loss sum and correct count of one point on one batch, as a [2] tensor. */
  private pointOnBatch(batch: Batch, cache: BatchCache, rowBase: Map<number, tf.Tensor>, a: number, b: number): tf.Tensor {
    return tf.tidy(() => {
      const values = new Map(cache.values);
      for (const step of this.movingSteps) {
        const trick = cache.tricks.get(step.output);
        let out: tf.Tensor;
        if (trick) {
          // X(W + a*Dx + b*Dy) + bias = (XW + bias + b*XDy) + a*XDx: the row base is shared along a row.
          const z = trick.p1 ? tf.add(rowBase.get(step.output)!, tf.mul(trick.p1, a)) : rowBase.get(step.output)!;
          out = applyActivation(z, this.activationOf(step) ?? step.config.activation);
        } else {
          out = forwardLayer(step.className, step.config, step.inputs.map((v) => values.get(v)!), this.weightsAt(step, a, b), this.activationOf(step));
        }
        values.set(step.output, out);
      }
      return lossAndCorrect(values.get(this.model.outputValue)!, this.form, this.loss, batch.targets);
    });
  }

  /**
   * Picks the layers for the first-layer trick: clear-cut ones by multiply-adds per output
   * element, the rest by timing both ways on the first batch and keeping the faster.
   */
  private async decideTricks(): Promise<void> {
    this.decided = true;
    if (this.options.firstLayerTrick === "never" || this.options.firstLayerTrick === "always" || this.trickable.size === 0) return;
    const batch = this.batches[0]!;
    const time = async (run: () => tf.Tensor): Promise<number> => {
      let best = Infinity;
      for (let r = 0; r < 4; r++) {
        const start = performance.now();
        const t = run();
        await t.data();
        t.dispose();
        if (r > 0) best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    const undecided: number[] = [];
    for (const v of this.trickable) {
      const step = this.movingSteps.find((s) => s.output === v)!;
      // Multiply-adds per output element of the direct way; the trick costs about 2 element-wise
      // passes per output element. Far apart, no timing is needed (and none is noisy).
      const kernel = this.model.params[Object.entries(step.params).find(([k]) => k.endsWith("kernel"))![1]]!.shape;
      const macs = step.className === "Dense" ? kernel[0]! : step.className === "Conv2D" ? kernel[0]! * kernel[1]! * kernel[2]! : kernel[0]! * kernel[1]!;
      if (macs >= 64) this.tricked.add(v);
      else if (macs > 2) undecided.push(v);
    }
    const clear = [...this.tricked];
    const timed: number[] = [];
    for (const v of undecided) {
      const step = this.movingSteps.find((s) => s.output === v)!;
      this.tricked.clear();
      const direct = this.buildCache(batch);
      const directMs = await time(() => tf.tidy(() => forwardLayer(step.className, step.config, step.inputs.map((i) => direct.values.get(i)!), this.weightsAt(step, 0.3, 0.7), step.config.activation as string)));
      this.disposeCache(batch, direct);
      this.tricked.add(v);
      const tricky = this.buildCache(batch);
      const p = tricky.tricks.get(v)!;
      const base = p.p2 ? tf.tidy(() => tf.add(p.p0, tf.mul(p.p2!, 0.7))) : p.p0;
      const trickMs = await time(() => tf.tidy(() => applyActivation(p.p1 ? tf.add(base, tf.mul(p.p1, 0.3)) : base, step.config.activation)));
      if (base !== p.p0) base.dispose();
      this.disposeCache(batch, tricky);
      this.tricked.delete(v);
      if (trickMs < directMs * 0.9) timed.push(v);
    }
    // Timed decisions were taken one layer at a time; now apply them with the clear-cut ones.
    const chosen = [...clear, ...timed];
    this.tricked.clear();
    for (const v of chosen) this.tricked.add(v);
  }

  /**
   * Loss and accuracy at each point; `points` holds (a, b) pairs, b ignored for 1D planes.
   * Data-outer, grid-inner; one read-back for the whole call. `shouldStop` is polled between
   * batches: when it returns true, evaluation stops and null is returned.
   */
  async evaluate(points: Float64Array, shouldStop?: () => boolean): Promise<PointValues | null> {
    if (!this.decided) {
      await this.decideTricks();
      this.trickLayers.length = 0;
      for (const s of this.movingSteps) if (this.tricked.has(s.output)) this.trickLayers.push(s.name);
    }
    const count = points.length / 2;
    // Sort by b so the row base XW + b*XDy of tricked layers is built once per distinct b.
    const order = Array.from({ length: count }, (_, i) => i).sort((i, j) => points[2 * i + 1]! - points[2 * j + 1]! || points[2 * i]! - points[2 * j]!);
    let total: tf.Tensor | null = null;
    for (const [bi, batch] of this.batches.entries()) {
      if (shouldStop?.()) {
        total?.dispose();
        return null;
      }
      const cache = this.caches[bi] ?? this.buildCache(batch);
      if (this.caches[bi] === null && this.keepCaches) {
        if (cache.bytes * this.batches.length <= (this.options.cacheBytes ?? DEFAULT_CACHE_BYTES)) this.caches[bi] = cache;
        else this.keepCaches = false;
      }
      const results: tf.Tensor[] = new Array(count);
      const rowBase = new Map<number, tf.Tensor>();
      let currentB = Number.NaN;
      for (const i of order) {
        const a = points[2 * i]!;
        const b = points[2 * i + 1]!;
        if (b !== currentB) {
          for (const t of rowBase.values()) t.dispose();
          rowBase.clear();
          for (const [v, p] of cache.tricks) rowBase.set(v, p.p2 ? tf.tidy(() => tf.add(p.p0, tf.mul(p.p2!, b))) : tf.clone(p.p0));
          currentB = b;
        }
        results[i] = this.pointOnBatch(batch, cache, rowBase, a, b);
      }
      for (const t of rowBase.values()) t.dispose();
      const stacked = tf.stack(results);
      for (const t of results) t.dispose();
      if (total === null) total = stacked;
      else {
        const next: tf.Tensor = tf.add(total, stacked);
        total.dispose();
        stacked.dispose();
        total = next;
      }
      if (this.caches[bi] !== cache) this.disposeCache(batch, cache);
    }
    const sums = await total!.data();
    total!.dispose();
    const loss = new Float64Array(count);
    const accuracy = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      loss[i] = sums[2 * i]! / this.data.count;
      accuracy[i] = sums[2 * i + 1]! / this.data.count;
    }
    return { loss, accuracy };
  }

  /**
   * Uses the first-layer trick for exactly the named layers (those that allow it), dropping
   * cached batches. Worker processes time the choice independently; the pool makes them agree
   * so every point of a surface is computed the same way.
   */
  setTrickLayers(names: readonly string[]): void {
    for (const [bi, batch] of this.batches.entries()) {
      const cache = this.caches[bi];
      if (cache) this.disposeCache(batch, cache);
      this.caches[bi] = null;
    }
    this.tricked.clear();
    this.trickLayers.length = 0;
    for (const step of this.movingSteps) {
      if (this.trickable.has(step.output) && names.includes(step.name)) {
        this.tricked.add(step.output);
        this.trickLayers.push(step.name);
      }
    }
    this.decided = true;
  }

  /** Frees every tensor the evaluator holds. */
  dispose(): void {
    for (const [bi, batch] of this.batches.entries()) {
      const cache = this.caches[bi];
      if (cache) this.disposeCache(batch, cache);
      batch.x.dispose();
      batch.targets.y.dispose();
      batch.targets.classes?.dispose();
      batch.targets.rowSums?.dispose();
    }
    this.caches = [];
    for (const t of [...this.origin, ...this.dx, ...this.dy]) t?.dispose();
  }
}
