import { Field, Float, ID, ObjectType } from "type-graphql";
import { Surface } from "../surfaces/surface.type.js";
import { Normalization } from "../surfaces/surface-params.type.js";

@ObjectType({ description: "One side of a pair: a trained run and its measured test error" })
export class ExperimentSide {
  @Field(() => String)
  role!: string;

  @Field(() => ID)
  runId!: string;

  @Field(() => Float, { nullable: true, description: "1 - the run's last measured test accuracy (held-out rows); null when none was measured" })
  testError!: number | null;

  @Field(() => Float, { nullable: true, description: "The run's last measured test loss" })
  testLoss!: number | null;
}

@ObjectType({ description: "Surfaces shown together: the interpolation between a pair's minima, or both sides' slices or planes with one normalization" })
export class ExperimentPanel {
  @Field(() => String, { description: "interpolation, line or plane" })
  kind!: string;

  @Field(() => Normalization, { nullable: true, description: "The directions' normalization (null for the interpolation)" })
  normalization!: string | null;

  @Field(() => [Surface], { description: "One surface (interpolation) or one per side, in the order of the sides" })
  surfaces!: Surface[];
}

@ObjectType({ description: "A pair of runs compared surface by surface (What filter normalization fixes)" })
export class ExperimentPair {
  @Field(() => String)
  title!: string;

  @Field(() => [ExperimentSide])
  sides!: ExperimentSide[];

  @Field(() => [ExperimentPanel], { description: "The interpolation, then slices without and with filter normalization, then planes likewise" })
  panels!: ExperimentPanel[];
}
