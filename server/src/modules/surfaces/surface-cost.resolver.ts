import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { SurfaceCost } from "./surface.type.js";

@Resolver()
export class SurfaceCostResolver {
  // Readers of the model may ask: it reveals no more than the model's parameter count and the dataset's rows.
  @Query(() => SurfaceCost, { description: "The cost of a surface's grid points over a model and dataset, before it is started" })
  surfaceCost(
    @Arg("modelId", () => ID) modelId: string,
    @Arg("datasetId", () => ID) datasetId: string,
    @Arg("points", () => Int) points: number,
    @Arg("samples", () => Int, { nullable: true, description: "The random subset of samples asked for; all when null" }) samples: number | null,
    @Ctx() { actor, services, shareToken }: Context,
    @Arg("testDatasetId", () => ID, { nullable: true, description: "A test set evaluated at every point too" }) testDatasetId?: string | null,
  ): Promise<SurfaceCost> {
    return services.surfaceCost.estimate(actor, { modelId, datasetId, points, samples: samples ?? null, testDatasetId: testDatasetId ?? null }, shareToken);
  }
}
