/**
 * Where a surface sits, for its breadcrumb and the gallery's cards: its project and the experiment
 * that made it. A link to one surface (or a comparison) opens neither: both read as null there.
 */
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { Project } from "../projects/project.type.js";
import { toProjectType } from "../projects/projects.resolver.js";
import { Surface } from "../surfaces/surface.type.js";
import type { SurfaceRecord } from "../surfaces/surface-records.js";
import { Experiment, type ExperimentKindEnum } from "./experiment.type.js";

type SurfaceObject = Surface & { record: SurfaceRecord };

@Resolver(() => Surface)
export class SurfacePlaceResolver {
  @FieldResolver(() => Project, { nullable: true, description: "The surface's project (null when seen through a link to surfaces alone)" })
  async project(@Root() surface: SurfaceObject, @Ctx() { actor, services, shareToken }: Context): Promise<Project | null> {
    if (surface.record.role === "surface") return null;
    return toProjectType(await services.projects.access(actor, surface.projectId, "read", shareToken));
  }

  @FieldResolver(() => Experiment, { nullable: true, description: "The experiment that made the surface, if one did (null when seen through a link to surfaces alone)" })
  async experiment(@Root() surface: SurfaceObject, @Ctx() { loaders }: Context): Promise<Experiment | null> {
    if (surface.record.role === "surface") return null;
    const record = await loaders.experimentsBySurface.load(surface.id);
    return record ? { ...record, kind: record.kind as ExperimentKindEnum } : null;
  }
}
