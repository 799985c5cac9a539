/**
 * A surface's parameters in GraphQL: what a caller asks for (SurfaceParamsInput) and what a
 * surface was made with (SurfaceParamsView). The enums, defaults and ranges come from the engine's
 * one declaration of its options (engine/options.ts), as do domain/surface-params.ts's checks.
 */
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import {
  DEFAULT_FROZEN_MODE,
  DEFAULT_IGNORE_MODE,
  DEFAULT_INTERPOLATION_POINTS,
  DEFAULT_LINE_POINTS,
  DEFAULT_NORMALIZATION,
  DEFAULT_RUNNING_STATS,
  FROZEN_MODES,
  type FrozenMode as FrozenModeValue,
  IGNORE_MODES,
  type IgnoreMode as IgnoreModeValue,
  MAP_LANCZOS_STEPS,
  MAP_TOLERANCE,
  MAX_AXIS_POINTS,
  MIN_AXIS_POINTS,
  NORMALIZATIONS,
  type Normalization as NormalizationValue,
  RUNNING_STATS,
  type RunningStats,
} from "../../engine/pure.js";
import type { SurfaceParams } from "../../domain/surface-params.js";
import { enumOf } from "../../graphql/enums.js";

export const Normalization = enumOf(NORMALIZATIONS);
export type Normalization = NormalizationValue;
registerEnumType(Normalization, { name: "Normalization", description: "How random directions are scaled to the weights (filter, per Li et al.)" });

export const IgnoreMode = enumOf(IGNORE_MODES);
export type IgnoreMode = IgnoreModeValue;
registerEnumType(IgnoreMode, { name: "IgnoreMode", description: "biasbn: biases and BatchNorm parameters get zero direction" });

export const FrozenMode = enumOf(FROZEN_MODES);
export type FrozenMode = FrozenModeValue;
registerEnumType(FrozenMode, { name: "FrozenMode", description: "move: weights of layers marked trainable: false move too, as in the authors' code; still: they get zero direction" });

export const RunningStatsMode = enumOf(RUNNING_STATS);
export type RunningStatsMode = RunningStats;
registerEnumType(RunningStatsMode, {
  name: "RunningStatsMode",
  description:
    "Interpolations: what BatchNorm's running mean and variance do between the models. move: they move with the weights, so t = 0 is model A and t = 1 model B exactly (the authors' --dir_type states); hold-a / hold-b: only the weights move and the statistics stay model A's / model B's all along, so the other end is not that model",
});

@InputType()
export class AxisInput {
  @Field(() => Float)
  min!: number;

  @Field(() => Float)
  max!: number;

  @Field(() => Int, {
    nullable: true,
    description: `Points from min to max inclusive, ${MIN_AXIS_POINTS} to ${MAX_AXIS_POINTS}; default ${DEFAULT_LINE_POINTS} for a line and ${DEFAULT_INTERPOLATION_POINTS} for an interpolation, required for planes`,
  })
  count?: number | null;
}

/** An axis of a surface as made: its count always known. */
@ObjectType()
export class AxisRange {
  @Field(() => Float)
  min!: number;

  @Field(() => Float)
  max!: number;

  @Field(() => Int, { description: "Points from min to max inclusive" })
  count!: number;
}

@InputType()
export class SurfaceParamsInput {
  @Field(() => AxisInput)
  x!: AxisInput;

  @Field(() => AxisInput, { nullable: true, description: "Planes and PCA planes only" })
  y?: AxisInput | null;

  @Field(() => Normalization, { nullable: true, description: `Default ${DEFAULT_NORMALIZATION}` })
  norm?: Normalization | null;

  @Field(() => IgnoreMode, { nullable: true, description: `Default ${DEFAULT_IGNORE_MODE}` })
  ignore?: IgnoreMode | null;

  @Field(() => FrozenMode, { nullable: true, description: `Default ${DEFAULT_FROZEN_MODE}` })
  frozen?: FrozenMode | null;

  @Field(() => Int, { nullable: true, description: "Seed of the random directions; default 0" })
  seed?: number | null;

  @Field(() => Boolean, { nullable: true, description: "Make the y direction orthogonal to x; default false" })
  orthogonalize?: boolean | null;

  @Field(() => Int, { nullable: true, description: "Evaluate a random subset of this many samples; default all" })
  samples?: number | null;

  @Field(() => Int, { nullable: true })
  sampleSeed?: number | null;

  @Field(() => String, { nullable: true, description: "Loss by Keras name; default the model's own" })
  loss?: string | null;

  @Field(() => RunningStatsMode, { nullable: true, description: `Interpolations: what BatchNorm's running statistics do between the models; default ${DEFAULT_RUNNING_STATS}` })
  runningStats?: RunningStatsMode | null;

  @Field(() => Boolean, { nullable: true, description: "Compute only on GPU workers; default false" })
  gpu?: boolean | null;

  @Field(() => Int, { nullable: true, description: "Centre on this checkpoint of the model instead of its final weights" })
  checkpointStep?: number | null;

  @Field(() => ID, { nullable: true, description: "Reuse the directions of this surface of the same model" })
  directionsFrom?: string | null;

  @Field(() => ID, { nullable: true, description: "Planes and lines: the x direction is this direction uploaded for the model (Model.directions), not a random one" })
  directionX?: string | null;

  @Field(() => ID, { nullable: true, description: "Planes: the y direction is this direction uploaded for the model; needs directionX" })
  directionY?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "PCA planes: replace the x and y ranges by the optimizer path's extent and a margin (the counts stay), so the plane holds its whole path; default true for PCA planes (false keeps the ranges given), ignored by other kinds",
  })
  fitPath?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "PCA planes with fitted ranges: both axes get the same length (the shorter widened about its centre), so the square plot shows PC1 and PC2 at one scale; default false",
  })
  equalAspect?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: `Eigen-ratio maps: most Lanczos steps per point, each one Hessian-vector product (four gradients over the samples); default ${MAP_LANCZOS_STEPS}. A point stops earlier once it meets \`tolerance\``,
  })
  lanczosSteps?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: `Eigen-ratio maps: residual tolerance of lambda_max and lambda_min at each point, relative to each (below |lambda_min| = 1e-2 |lambda_max|: to 1e-2 |lambda_max|); default ${MAP_TOLERANCE}`,
  })
  tolerance?: number | null;
}

@ObjectType()
export class SurfaceParamsView {
  @Field(() => AxisRange)
  x!: AxisRange;

  @Field(() => AxisRange, { nullable: true })
  y!: AxisRange | null;

  @Field(() => Normalization)
  norm!: Normalization;

  @Field(() => IgnoreMode)
  ignore!: IgnoreMode;

  @Field(() => FrozenMode)
  frozen!: FrozenMode;

  @Field(() => Int)
  seed!: number;

  @Field(() => Boolean)
  orthogonalize!: boolean;

  @Field(() => Int, { nullable: true })
  samples!: number | null;

  @Field(() => Int)
  sampleSeed!: number;

  @Field(() => String, { nullable: true })
  loss!: string | null;

  @Field(() => RunningStatsMode, { description: "Interpolations: what BatchNorm's running statistics did between the models" })
  runningStats!: RunningStatsMode;

  @Field(() => Boolean)
  gpu!: boolean;

  @Field(() => Int, { nullable: true })
  checkpointStep!: number | null;

  @Field(() => ID, { nullable: true })
  directionsFrom!: string | null;

  @Field(() => ID, { nullable: true })
  directionX!: string | null;

  @Field(() => ID, { nullable: true })
  directionY!: string | null;

  @Field(() => Boolean, { description: "PCA planes: the ranges were fitted to the optimizer's path" })
  fitPath!: boolean;

  @Field(() => Boolean, { description: "PCA planes: the fitted ranges have the same length on both axes" })
  equalAspect!: boolean;

  @Field(() => Int, { description: "Eigen-ratio maps: most Lanczos steps per point (maps made before per-point convergence: exactly this many)" })
  lanczosSteps!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Eigen-ratio maps: residual tolerance each point runs to (lambda_max and lambda_min each within about this fraction of itself); null for maps made with a fixed number of steps",
  })
  tolerance!: number | null;
}

/**
 * The input and the view name exactly the fields of the parameters' schema
 * (domain/surface-params.ts): a parameter added there and missing here, or the reverse, fails to
 * compile.
 */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : { missing: Exclude<keyof B, keyof A>; extra: Exclude<keyof A, keyof B> };
export const inputNamesEveryParam: SameKeys<SurfaceParamsInput, SurfaceParams> = true;
export const viewNamesEveryParam: SameKeys<SurfaceParamsView, SurfaceParams> = true;
