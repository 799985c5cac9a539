import { Field, Float, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { FIGURE_FORMATS, FIGURE_THEMES, type FigureFormat, type FigureTheme, SIZE_UNITS, type SizeUnit } from "../../domain/export-settings.js";
import { MutationPayload } from "../../graphql/payload.js";
import { enumOf } from "../../graphql/enums.js";

export const FigureThemeEnum = enumOf(FIGURE_THEMES);
export const FigureFormatEnum = enumOf(FIGURE_FORMATS);
export const SizeUnitEnum = enumOf(SIZE_UNITS);
registerEnumType(FigureThemeEnum, { name: "FigureTheme", description: "PAPER: white background, print-safe colour maps, small dark text; DARK: the screen's look" });
registerEnumType(FigureFormatEnum, { name: "FigureFormat", description: "PNG (raster at the DPI), SVG or PDF (vector)" });
registerEnumType(SizeUnitEnum, { name: "SizeUnit", description: "IN: inches (the raster's pixels are inches x DPI); PX: pixels" });

@ObjectType({ description: "How the user exports figures; the same in every browser they sign in from" })
export class ExportSettings {
  @Field(() => FigureThemeEnum)
  theme!: FigureTheme;

  @Field(() => FigureFormatEnum)
  format!: FigureFormat;

  @Field(() => Float, { description: "Width, in `unit`s" })
  width!: number;

  @Field(() => Float, { description: "Height, in `unit`s" })
  height!: number;

  @Field(() => SizeUnitEnum)
  unit!: SizeUnit;

  @Field(() => Int, { description: "Dots per inch of a PNG (300 for print); sizes in inches use it" })
  dpi!: number;
}

@InputType()
export class ExportSettingsInput {
  @Field(() => FigureThemeEnum)
  theme!: FigureTheme;

  @Field(() => FigureFormatEnum)
  format!: FigureFormat;

  @Field(() => Float, { description: "1 to 20 inches, or 100 to 10000 pixels" })
  width!: number;

  @Field(() => Float, { description: "1 to 20 inches, or 100 to 10000 pixels" })
  height!: number;

  @Field(() => SizeUnitEnum)
  unit!: SizeUnit;

  @Field(() => Int, { description: "72 to 1200" })
  dpi!: number;
}

@ObjectType({ implements: MutationPayload })
export class ExportSettingsPayload extends MutationPayload {
  @Field(() => ExportSettings, { nullable: true })
  settings!: ExportSettings | null;
}
