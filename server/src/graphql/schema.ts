/** The GraphQL schema, built from the type-graphql classes of every module. */
import "reflect-metadata";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { AccountsResolver } from "../modules/accounts/accounts.resolver.js";
import { HealthResolver } from "../modules/health/health.resolver.js";
import { DatasetsResolver } from "../modules/datasets/datasets.resolver.js";
import { ModelsResolver } from "../modules/models/models.resolver.js";
import { ProjectsResolver } from "../modules/projects/projects.resolver.js";
import { UploadsResolver } from "../modules/uploads/uploads.resolver.js";

export const resolvers = [HealthResolver, AccountsResolver, ProjectsResolver, ModelsResolver, DatasetsResolver, UploadsResolver] as const;

export function createSchema(): Promise<GraphQLSchema> {
  // Inputs are validated by each service with zod, where the error codes are ours.
  return buildSchema({ resolvers, validate: false });
}

/** The SDL committed as schema/schema.graphql: sorted, so a diff shows only real API changes. */
export async function printSchemaFile(): Promise<string> {
  const schema = await createSchema();
  return `# Generated from the server's type-graphql classes by \`npm run schema\`. Do not edit.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
