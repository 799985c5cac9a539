/** The GraphQL schema, built from the type-graphql classes of every module. */
import "reflect-metadata";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { EventEmitter, on } from "node:events";
import { type PubSub, buildSchema } from "type-graphql";
import { AccountDeletionResolver } from "../modules/accounts/account-deletion.resolver.js";
import { AccountsResolver, UserResolver } from "../modules/accounts/accounts.resolver.js";
import { SessionsResolver } from "../modules/accounts/sessions.resolver.js";
import { SignInOptionsResolver } from "../modules/accounts/sign-in-options.resolver.js";
import { EmailResolver, UserVerificationResolver } from "../modules/accounts/email.resolver.js";
import { ExportSettingsResolver } from "../modules/accounts/export-settings.resolver.js";
import { AnnotationsResolver, CurveAnnotationsResolver, SurfaceAnnotationsResolver } from "../modules/annotations/annotations.resolver.js";
import { HealthResolver } from "../modules/health/health.resolver.js";
import { DatasetsResolver } from "../modules/datasets/datasets.resolver.js";
import { ExperimentsResolver } from "../modules/experiments/experiments.resolver.js";
import { NormalizationPairsResolver } from "../modules/experiments/normalization.resolver.js";
import { CheckpointsResolver, ModelsResolver } from "../modules/models/models.resolver.js";
import { OwnershipResolver } from "../modules/projects/ownership.resolver.js";
import { ProjectsResolver } from "../modules/projects/projects.resolver.js";
import { SurfacePlaceResolver } from "../modules/experiments/surface-place.resolver.js";
import { CompareLinkResolver, CompareLinksResolver } from "../modules/projects/compare-links.resolver.js";
import { InvitationResolver, SharingResolver, SurfaceLinkResolver } from "../modules/projects/sharing.resolver.js";
import { SurfacesResolver } from "../modules/surfaces/surfaces.resolver.js";
import { SurfaceCostResolver } from "../modules/surfaces/surface-cost.resolver.js";
import { TrainingResolver } from "../modules/training/training.resolver.js";
import { CurvesResolver } from "../modules/curves/curves.resolver.js";
import { UploadsResolver } from "../modules/uploads/uploads.resolver.js";
import { WorkersResolver } from "../modules/workers/workers.resolver.js";

export const resolvers = [
  HealthResolver,
  AccountsResolver,
  UserResolver,
  SessionsResolver,
  SignInOptionsResolver,
  AccountDeletionResolver,
  EmailResolver,
  UserVerificationResolver,
  ExportSettingsResolver,
  ProjectsResolver,
  OwnershipResolver,
  SharingResolver,
  SurfaceLinkResolver,
  CompareLinksResolver,
  CompareLinkResolver,
  InvitationResolver,
  ModelsResolver,
  CheckpointsResolver,
  DatasetsResolver,
  UploadsResolver,
  SurfacesResolver,
  SurfaceCostResolver,
  AnnotationsResolver,
  SurfaceAnnotationsResolver,
  CurveAnnotationsResolver,
  WorkersResolver,
  TrainingResolver,
  CurvesResolver,
  ExperimentsResolver,
  NormalizationPairsResolver,
  SurfacePlaceResolver,
] as const;

/**
 * type-graphql's topic-based subscriptions need a PubSub. Ours (surface progress) subscribe to
 * PostgreSQL notifications directly, so this in-process one only serves topic subscriptions,
 * should a resolver use them.
 */
const events = new EventEmitter();
events.setMaxListeners(0);
const pubSub: PubSub = {
  publish: (routingKey, ...args) => {
    events.emit(routingKey, args[0]);
  },
  subscribe: (routingKey) => {
    const iterator = on(events, routingKey);
    return {
      async *[Symbol.asyncIterator]() {
        for await (const [payload] of iterator) yield payload;
      },
    };
  },
};

export function createSchema(): Promise<GraphQLSchema> {
  // Inputs are validated by each service with zod, where the error codes are ours.
  return buildSchema({ resolvers, validate: false, pubSub });
}

/** The SDL committed as schema/schema.graphql: sorted, so a diff shows only real API changes. */
export async function printSchemaFile(): Promise<string> {
  const schema = await createSchema();
  return `# Generated from the server's type-graphql classes by \`npm run schema\`. Do not edit.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
