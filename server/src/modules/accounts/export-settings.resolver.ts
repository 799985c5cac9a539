import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { unauthenticated } from "../../domain/errors.js";
import type { Context } from "../../graphql/context.js";
import { runMutation } from "../../graphql/payload.js";
import { ExportSettings, ExportSettingsInput, ExportSettingsPayload } from "./export-settings.type.js";

@Resolver()
export class ExportSettingsResolver {
  // Anonymous callers (a share link) keep their choice in the browser alone.
  @Query(() => ExportSettings, { nullable: true, description: "The signed-in user's export settings (the defaults until they save some); null when not signed in" })
  exportSettings(@Ctx() { actor, services }: Context): Promise<ExportSettings> | null {
    return actor.kind === "user" ? services.accounts.exportSettings(actor.user.id) : null;
  }

  @Mutation(() => ExportSettingsPayload, { description: "Keep the signed-in user's export settings" })
  saveExportSettings(@Arg("input", () => ExportSettingsInput) input: ExportSettingsInput, @Ctx() { actor, services }: Context): Promise<ExportSettingsPayload> {
    return runMutation({ settings: null }, async () => {
      if (actor.kind !== "user") throw unauthenticated();
      return { settings: await services.accounts.saveExportSettings(actor.user.id, { ...input }) };
    });
  }
}
