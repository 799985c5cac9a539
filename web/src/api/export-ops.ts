/** The user's export settings (theme, size, DPI, format), kept on the server per user. */
import { graphql } from "./gql";

export const EXPORT_SETTINGS = graphql(`
  query ExportSettings { exportSettings { theme format width height unit dpi } }
`);

export const SAVE_EXPORT_SETTINGS = graphql(`
  mutation SaveExportSettings($input: ExportSettingsInput!) {
    saveExportSettings(input: $input) { ok error { ...MutationErrorFields } settings { theme format width height unit dpi } }
  }
`);
