/**
 * The fast path: loss and accuracy of L(origin + a*dx + b*dy) at many points (a, b).
 *
 * Where the speed comes from (engine README, "Where the speed comes from"):
 * - data, theta and directions live on the backend for the evaluator's whole life; each point's
 *   weights are built there with tensor ops, and a tile of points is read back once;
 * - data-outer, grid-inner: each batch is prepared once and then every point of the tile runs on it;
 * - everything that does not depend on (a, b) (the layers before the first moving weight) is
 *   computed once per batch and cached;
 * - the first-layer linearity trick: a Dense/Conv layer whose input is fixed is linear in its
 *   weights, so X(W + a*Dx + b*Dy) = XW + a*XDx + b*XDy. The three products are computed once per
 *   batch; a point then costs two element-wise ops (XW + b*XDy is shared along a row). A fixed
 *   BatchNorm after the layer is folded into the products, and a max pooling after its activation
 *   is taken first (see TrickGroup). It is chosen per layer from the shapes alone (see
 *   chooseTrickLayers), because for a conv layer with few input channels the element-wise ops
 *   over its large output can cost more than the convolution itself. The two ways round
 *   differently, so the choice is made once per surface and passed to every process that
 *   computes part of it (`trickLayers`).
 *
 * Precision: the loss of each sample is computed in a stable form on the backend (loss.ts) and
 * read back; sums over samples and batches are float64 on the host.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PreparedData } from "./data.js";
import type { Direction } from "./directions.js";
import { applyActivation, forwardLayer, linearLayer } from "./layers.js";
import { isCategorical, perSampleLoss, type BatchTargets, type LossSpec, type OutputForm } from "./loss.js";
import type { EvaluatorOptions, Plane, PointValues } from "./evaluator-types.js";
import type { LoadedModel, Step } from "./model-types.js";
import { batchNormOf, batchNormScale, chooseTrickLayers, type FoldedGroup, isZero, planGroups, splitSteps, type TrickGroup } from "./step-groups.js";

export { chooseTrickLayers, TRICK_MIN_MACS } from "./step-groups.js";
export type { EvaluatorOptions, Plane, PointValues } from "./evaluator-types.js";


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

/** Bytes of per-point weights an evaluation with several batches assembles at a time. */
const WEIGHT_BYTES = 64 * 1024 * 1024;


/**
 * Bytes of first-layer products (XW, XDx, XDy of every tricked layer) one batch may hold by default
 * (`trickBytes`): without an explicit batch size, batches shrink below 10,000 samples to fit. A
 * convolution's products are three times its output: 196 KiB a sample for 16 channels of a 32x32
 * image, so 2,730 samples; wasm's memory ends at 4 GiB.
 */
const TRICK_BATCH_BYTES = 512 * 1024 * 1024;


export class SurfaceEvaluator {
  /** Names of the layers that use the first-layer trick, for reports. */
  readonly trickLayers: string[] = [];
  private readonly origin: tf.Tensor[];
  private readonly dx: (tf.Tensor | null)[];
  private readonly dy: (tf.Tensor | null)[];
  private batches: Batch[] = [];
  /** Samples per batch (the last batch may hold fewer). */
  private batchSize = 0;
  /** The origin's tensors, which pointWeights may return as they are and must not be freed. */
  private readonly originSet: Set<tf.Tensor>;
  /** The moving steps that take weights of their own at each point (neither tricked nor absorbed). */
  private weightedSteps: Step[] = [];
  /** Bytes of the weights one point's pointWeights holds (at most; origin tensors are shared). */
  private movingWeightBytes = 0;
  private readonly constantSteps: Step[];
  private readonly movingSteps: Step[];
  private readonly tricked = new Set<number>();
  private readonly trickable: Set<number>;
  /** Moving steps folded with the BatchNorm/activation after them, by the linear step's output value. */
  private folds = new Map<number, FoldedGroup>();
  /** Tricked steps evaluated with the BatchNorm/activation/max pooling after them, by the tricked step's output value. */
  private trickGroups = new Map<number, TrickGroup>();
  /** Output values of steps evaluated inside a folded or trick group. */
  private absorbed = new Set<number>();
  private readonly form: OutputForm;
  private caches: (BatchCache | null)[] = [];
  private keepCaches = true;

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
    this.originSet = new Set(this.origin);
    this.dx = model.params.map((_, i) => upload(plane.dx, i));
    this.dy = model.params.map((_, i) => upload(plane.dy, i));
    // Keras fuses softmax/sigmoid into cross-entropy; so does the engine (see loss.ts).
    const categorical = isCategorical(loss) && !loss.fromLogits && model.outputActivation === "softmax";
    const binary = loss.name === "binary_crossentropy" && !loss.fromLogits && model.outputActivation === "sigmoid";
    this.form = categorical ? "softmax-logits" : binary ? "sigmoid-logits" : "values";

    const split = splitSteps(model, (i) => this.dx[i] !== null || this.dy[i] !== null);
    this.constantSteps = split.constant;
    this.movingSteps = split.moving;
    this.trickable = split.trickable;
    this.setTrickLayers(options.trickLayers ?? chooseTrickLayers(model, plane.dx, plane.dy, options.firstLayerTrick ?? "auto"));
  }

  /** Uploads model, data and plane to the active backend; dispose() frees them. */
  static create(model: LoadedModel, data: PreparedData, loss: LossSpec, plane: Plane, options: EvaluatorOptions = {}): SurfaceEvaluator {
    return new SurfaceEvaluator(model, data, loss, plane, options);
  }

  /**
   * Samples per batch: `batchSize`, or 10,000 lowered so that the products of the tricked layers
   * fit in TRICK_BATCH_BYTES.
   */
  private batchSizeFor(): number {
    let size = this.options.batchSize ?? 10_000;
    if (this.options.batchSize === undefined && this.tricked.size > 0) {
      size = Math.min(size, Math.floor((this.options.trickBytes ?? TRICK_BATCH_BYTES) / this.trickBytesPerSample()));
    }
    return Math.max(1, Math.min(size, this.data.count));
  }

  /** Bytes of one sample's first-layer products (three per tricked layer), from a pass over one sample. */
  private trickBytesPerSample(): number {
    const { data } = this;
    const per = data.x.length / data.count;
    return tf.tidy(() => {
      const values = new Map<number, tf.Tensor>([[this.model.inputValue, tf.tensor(data.x.subarray(0, per), [1, ...data.inputShape], "float32")]]);
      for (const step of this.constantSteps) {
        values.set(step.output, forwardLayer(step.className, step.config, step.inputs.map((v) => values.get(v)!), this.weightsAt(step, 0, 0), this.activationOf(step)));
      }
      let bytes = 0;
      for (const step of this.movingSteps) {
        if (!this.tricked.has(step.output)) continue;
        const out = forwardLayer(step.className, step.config, step.inputs.map((v) => values.get(v)!), this.weightsAt(step, 0, 0), "linear");
        bytes += 3 * 4 * out.size;
      }
      return Math.max(1, bytes);
    });
  }

  private makeBatches(size: number): Batch[] {
    const { data } = this;
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
      // Beyond the models of an interpolation, (1 - t) vA + t vB can be negative: a variance is not
      // (surface.ts notes where this happens).
      if ((dx || dy) && key === "moving_variance") w = tf.relu(w);
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
      let p: TrickProducts = { p0: product(this.origin, true)!, p1: product(this.dx, false), p2: product(this.dy, false) };
      const batchNorm = this.trickGroups.get(step.output)?.batchNorm;
      if (batchNorm) {
        // The BatchNorm does not move: fold it into the products, s*(XW + c - mean) + beta, s*XDx, s*XDy.
        const bn = this.weightsAt(batchNorm, 0, 0);
        const scale = tf.tidy(() => batchNormScale(batchNorm, bn));
        const scaled = (t: tf.Tensor | null) => (t === null ? null : tf.mul(t, scale));
        const folded = { p0: tf.tidy(() => batchNormOf(p.p0, bn, scale)), p1: scaled(p.p1), p2: scaled(p.p2) };
        for (const t of [p.p0, p.p1, p.p2, scale]) t?.dispose();
        p = folded;
      }
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

  /**
   * The weights each moving step uses at (a, b), by step output: origin + a*dx + b*dy, and for a
   * folded group its folded kernel and bias (see foldedWeights), for the weightedSteps.
   */
  private pointWeights(a: number, b: number): Map<number, Record<string, tf.Tensor>> {
    const steps = this.weightedSteps;
    // tf.tidy keeps the tensors it finds in arrays and plain objects (not in a Map).
    const records = tf.tidy(() => steps.map((step) => {
      const fold = this.folds.get(step.output);
      return fold ? this.foldedWeights(fold, a, b) : this.weightsAt(step, a, b);
    }));
    return new Map(steps.map((step, k) => [step.output, records[k]!]));
  }

  /** Frees the tensors of pointWeights that the evaluator does not hold itself (the origin's). */
  private disposeWeights(weights: Map<number, Record<string, tf.Tensor>>): void {
    for (const record of weights.values()) for (const t of Object.values(record)) if (!this.originSet.has(t)) t.dispose();
  }

  /**
   * Per-sample loss and correctness of one point on one batch, as a [2, B] tensor. `weights`:
   * the point's pointWeights when the caller assembled them once for several batches; null to
   * assemble them here.
   */
  private pointOnBatch(batch: Batch, cache: BatchCache, rowBase: Map<number, tf.Tensor>, a: number, b: number, weights: Map<number, Record<string, tf.Tensor>> | null): tf.Tensor {
    return tf.tidy(() => {
      const values = new Map(cache.values);
      const w = weights ?? this.pointWeights(a, b);
      for (const step of this.movingSteps) {
        if (this.absorbed.has(step.output)) continue;
        const fold = this.folds.get(step.output);
        if (fold) {
          const { kernel, bias } = w.get(step.output)!;
          values.set(fold.output, linearLayer(fold.linear.className, fold.linear.config, values.get(step.inputs[0]!)!, kernel!, bias, fold.activation));
          continue;
        }
        const trick = cache.tricks.get(step.output);
        let out: tf.Tensor;
        if (trick) {
          // X(W + a*Dx + b*Dy) + bias = (XW + bias + b*XDy) + a*XDx: the row base is shared along a row.
          const base = rowBase.get(step.output)!;
          const group = this.trickGroups.get(step.output);
          if (group) {
            // BatchNorm is in the products; a max pooling goes before the activation (see TrickGroup).
            values.set(group.output, applyActivation(this.trickSum(base, trick.p1, a, group.pool), group.activation));
            continue;
          }
          out = applyActivation(this.trickSum(base, trick.p1, a, null), this.activationOf(step) ?? step.config.activation);
        } else {
          out = forwardLayer(step.className, step.config, step.inputs.map((v) => values.get(v)!), w.get(step.output)!, this.activationOf(step));
        }
        values.set(step.output, out);
      }
      return perSampleLoss(values.get(this.model.outputValue)!, this.form, this.loss, batch.targets);
    });
  }

  /** base + a*p (base alone when p is null), followed by `pool` when given. */
  private trickSum(base: tf.Tensor, p: tf.Tensor | null, a: number, pool: Step | null): tf.Tensor {
    const z = p === null ? base : tf.add(base, tf.mul(p, a));
    return pool === null ? z : forwardLayer(pool.className, pool.config, [z], {});
  }

  /**
   * Loss and accuracy at each point; `points` holds (a, b) pairs, b ignored for 1D planes.
   * Data-outer, grid-inner; one read-back for the whole call. `shouldStop` is polled between
   * batches: when it returns true, evaluation stops and null is returned.
   */
  async evaluate(points: Float64Array, shouldStop?: () => boolean): Promise<PointValues | null> {
    const count = points.length / 2;
    // Sort by b so the row base XW + b*XDy of tricked layers is built once per distinct b.
    const order = Array.from({ length: count }, (_, i) => i).sort((i, j) => points[2 * i + 1]! - points[2 * j + 1]! || points[2 * i]! - points[2 * j]!);
    // With several batches each point's weights (and BatchNorm folds) are assembled once, not once
    // per batch, for as many points at a time as fit in `weightBytes`.
    const several = this.batches.length > 1;
    const groupSize = several ? Math.max(1, Math.floor((this.options.weightBytes ?? WEIGHT_BYTES) / Math.max(1, this.movingWeightBytes))) : count;
    // Each batch's [points, 2, samples] values are read back as soon as they are queued (the
    // reads overlap the next batch's work on an asynchronous backend) and summed in float64.
    const reads: { values: Promise<Float32Array>; points: number[]; samples: number }[] = [];
    const settle = async () => Promise.allSettled(reads.map((r) => r.values));
    for (let g = 0; g < count; g += groupSize) {
      const group = order.slice(g, g + groupSize);
      const weights = several ? group.map((i) => this.pointWeights(points[2 * i]!, points[2 * i + 1]!)) : null;
      try {
        for (const [bi, batch] of this.batches.entries()) {
          if (shouldStop?.()) {
            await settle();
            return null;
          }
          const cache = this.caches[bi] ?? this.buildCache(batch);
          if (this.caches[bi] === null && this.keepCaches) {
            if (cache.bytes * this.batches.length <= (this.options.cacheBytes ?? DEFAULT_CACHE_BYTES)) this.caches[bi] = cache;
            else this.keepCaches = false;
          }
          const results: tf.Tensor[] = [];
          const rowBase = new Map<number, tf.Tensor>();
          let currentB = Number.NaN;
          for (const [n, i] of group.entries()) {
            const a = points[2 * i]!;
            const b = points[2 * i + 1]!;
            if (b !== currentB) {
              for (const t of rowBase.values()) t.dispose();
              rowBase.clear();
              for (const [v, p] of cache.tricks) rowBase.set(v, p.p2 ? tf.tidy(() => tf.add(p.p0, tf.mul(p.p2!, b))) : tf.clone(p.p0));
              currentB = b;
            }
            results.push(this.pointOnBatch(batch, cache, rowBase, a, b, weights?.[n] ?? null));
          }
          for (const t of rowBase.values()) t.dispose();
          const stacked = tf.stack(results);
          for (const t of results) t.dispose();
          reads.push({ values: stacked.data<"float32">().finally(() => stacked.dispose()), points: group, samples: batch.x.shape[0]! });
          if (this.caches[bi] !== cache) this.disposeCache(batch, cache);
        }
      } finally {
        for (const w of weights ?? []) this.disposeWeights(w);
      }
    }
    const lossSum = new Float64Array(count);
    const correctSum = new Float64Array(count);
    for (const read of reads) {
      const values = await read.values;
      const n = read.samples;
      for (const [r, i] of read.points.entries()) {
        // Samples in order, batches in order, in float64: the same sum whichever tile or process
        // holds the point.
        let l = 0;
        let c = 0;
        for (let k = r * 2 * n, end = k + n; k < end; k++) l += values[k]!;
        for (let k = (r * 2 + 1) * n, end = k + n; k < end; k++) c += values[k]!;
        lossSum[i] = lossSum[i]! + l;
        correctSum[i] = correctSum[i]! + c;
      }
    }
    const loss = new Float64Array(count);
    const accuracy = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      loss[i] = lossSum[i]! / this.data.count;
      accuracy[i] = correctSum[i]! / this.data.count;
    }
    return { loss, accuracy };
  }

  /**
   * Uses the first-layer trick for exactly the named layers (those that allow it), dropping
   * cached batches, so every process computing part of a surface does the same arithmetic.
   */
  setTrickLayers(names: readonly string[]): void {
    for (const [bi, batch] of this.batches.entries()) {
      const cache = this.caches[bi];
      if (cache) this.disposeCache(batch, cache);
      this.caches[bi] = null;
    }
    this.keepCaches = true;
    this.tricked.clear();
    this.trickLayers.length = 0;
    for (const step of this.movingSteps) {
      if (this.trickable.has(step.output) && names.includes(step.name)) {
        this.tricked.add(step.output);
        if (!this.trickLayers.includes(step.name)) this.trickLayers.push(step.name);
      }
    }
    const size = this.batchSizeFor();
    if (size !== this.batchSize) {
      this.disposeBatches();
      this.batches = this.makeBatches(size);
      this.caches = this.batches.map(() => null);
      this.batchSize = size;
    }
    this.planFolds();
    this.weightedSteps = this.movingSteps.filter((step) => !this.absorbed.has(step.output) && !this.tricked.has(step.output));
    this.movingWeightBytes = 0;
    for (const step of this.weightedSteps) for (const i of Object.values(step.params)) this.movingWeightBytes += this.origin[i]!.size * 4;
  }

  /** Plans the folded and trick groups for the current tricked layers (see planGroups). */
  private planFolds(): void {
    const moves = (i: number) => this.dx[i] !== null || this.dy[i] !== null;
    ({ folds: this.folds, trickGroups: this.trickGroups, absorbed: this.absorbed } = planGroups(this.model, this.movingSteps, this.tricked, moves, this.options.foldBatchNorm !== false));
  }

  /** Names of the layers folded with the steps after them, as "conv2d_1+batch_normalization_1+activation_1". */
  get foldedLayers(): string[] {
    const name = (v: number) => this.model.steps.find((s) => s.output === v)?.name ?? String(v);
    return [...this.folds.values()].map((f) => [f.linear.name, ...(f.batchNorm ? [f.batchNorm.name] : []), ...(f.output !== (f.batchNorm ?? f.linear).output ? [name(f.output)] : [])].join("+"));
  }

  /** Samples per batch (the last batch may hold fewer). */
  get samplesPerBatch(): number {
    return this.batchSize;
  }

  /** Names of the tricked layers evaluated with the steps after them, as "conv2d_1+batch_normalization_1+activation_1+max_pooling2d_1". */
  get trickGroupLayers(): string[] {
    return [...this.trickGroups.values()].map((g) => [g.linear, ...g.inside].map((s) => s.name).join("+"));
  }

  /** A folded group's kernel and bias at (a, b) (inside a tidy). */
  private foldedWeights(fold: FoldedGroup, a: number, b: number): Record<string, tf.Tensor> {
    const w = this.weightsAt(fold.linear, a, b);
    let kernel = w.kernel!;
    let bias = w.bias;
    if (fold.batchNorm !== null) {
      const bn = this.weightsAt(fold.batchNorm, a, b);
      const scale = batchNormScale(fold.batchNorm, bn);
      kernel = tf.mul(kernel, scale);
      bias = batchNormOf(bias, bn, scale);
    }
    return bias === undefined ? { kernel } : { kernel, bias };
  }

  private disposeBatches(): void {
    for (const [bi, batch] of this.batches.entries()) {
      const cache = this.caches[bi];
      if (cache) this.disposeCache(batch, cache);
      batch.x.dispose();
      batch.targets.y.dispose();
      batch.targets.classes?.dispose();
      batch.targets.rowSums?.dispose();
    }
    this.batches = [];
    this.caches = [];
    this.batchSize = 0;
  }

  /** Frees every tensor the evaluator holds. */
  dispose(): void {
    this.disposeBatches();
    for (const t of [...this.origin, ...this.dx, ...this.dy]) t?.dispose();
  }
}