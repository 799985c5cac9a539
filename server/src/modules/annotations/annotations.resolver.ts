import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { PageArgs } from "../../graphql/pagination.js";
import { pageComplexity } from "../../graphql/complexity.js";
import { runMutation } from "../../graphql/payload.js";
import { User } from "../accounts/account.type.js";
import { DeletePayload } from "../projects/project.type.js";
import { Surface } from "../surfaces/surface.type.js";
import { Curve } from "../curves/curve.type.js";
import { AddAnnotationInput, Annotation, AnnotationConnection, type AnnotationKind, AnnotationPayload, UpdateAnnotationInput } from "./annotation.type.js";
import type { AnnotationRecord } from "./annotations.service.js";

const toAnnotationType = (record: AnnotationRecord): Annotation => ({ ...record, kind: record.kind as AnnotationKind, author: null });

@Resolver(() => Annotation)
export class AnnotationsResolver {
  @FieldResolver(() => User, { nullable: true })
  async author(@Root() annotation: Annotation, @Ctx() { loaders }: Context): Promise<User | null> {
    return annotation.authorId ? ((await loaders.users.load(annotation.authorId)) ?? null) : null;
  }

  @Mutation(() => AnnotationPayload, { description: "Pin a note on a surface or a curve's plane (editors and owners)" })
  addAnnotation(@Arg("input", () => AddAnnotationInput) input: AddAnnotationInput, @Ctx() { actor, services }: Context): Promise<AnnotationPayload> {
    return runMutation({ annotation: null }, async () => ({ annotation: toAnnotationType(await services.annotations.add(actor, input)) }));
  }

  @Mutation(() => AnnotationPayload, { description: "Edit a note (editors and owners)" })
  updateAnnotation(@Arg("input", () => UpdateAnnotationInput) input: UpdateAnnotationInput, @Ctx() { actor, services }: Context): Promise<AnnotationPayload> {
    return runMutation({ annotation: null }, async () => ({ annotation: toAnnotationType(await services.annotations.update(actor, input)) }));
  }

  @Mutation(() => DeletePayload, { description: "Remove a note (editors and owners)" })
  deleteAnnotation(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<DeletePayload> {
    return runMutation({ deletedId: null }, async () => ({ deletedId: await services.annotations.delete(actor, id) }));
  }
}

@Resolver(() => Surface)
export class SurfaceAnnotationsResolver {
  @FieldResolver(() => AnnotationConnection, { complexity: pageComplexity, description: "Notes pinned on the surface, newest first" })
  async annotations(@Root() surface: Surface, @Args(() => PageArgs) page: PageArgs, @Ctx() { services }: Context) {
    // The surface was loaded through an access check; its readers read its notes.
    const result = await services.annotations.list({ surfaceId: surface.id }, page);
    return { nodes: result.nodes.map(toAnnotationType), pageInfo: result.pageInfo };
  }
}

@Resolver(() => Curve)
export class CurveAnnotationsResolver {
  @FieldResolver(() => AnnotationConnection, { complexity: pageComplexity, description: "Notes pinned on the curve's plane, newest first" })
  async annotations(@Root() curve: Curve, @Args(() => PageArgs) page: PageArgs, @Ctx() { services }: Context) {
    // The curve was loaded through an access check; its readers read its notes.
    const result = await services.annotations.list({ curveId: curve.id }, page);
    return { nodes: result.nodes.map(toAnnotationType), pageInfo: result.pageInfo };
  }
}
