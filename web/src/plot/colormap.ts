/** Colour maps as a few anchor stops, interpolated linearly in RGB. */

export type ColourMapName = "viridis" | "magma" | "coolwarm" | "greys";

export const COLOUR_MAPS: Record<ColourMapName, readonly [number, number, number][]> = {
  viridis: [
    [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
    [31, 158, 137], [53, 183, 121], [110, 206, 88], [181, 222, 43], [253, 231, 37],
  ],
  magma: [
    [0, 0, 4], [28, 16, 68], [79, 18, 123], [129, 37, 129], [181, 54, 122],
    [229, 80, 100], [251, 135, 97], [254, 194, 135], [252, 253, 191],
  ],
  coolwarm: [[59, 76, 192], [98, 130, 234], [141, 176, 254], [184, 208, 249], [221, 221, 221], [245, 196, 173], [244, 154, 123], [222, 96, 77], [180, 4, 38]],
  greys: [[20, 20, 20], [245, 245, 245]],
};

/** RGB of `t` in [0, 1] (clamped) on the named map; NaN is transparent-grey territory, callers decide. */
export function colourAt(name: ColourMapName, t: number): [number, number, number] {
  const stops = COLOUR_MAPS[name];
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(u));
  const f = u - k;
  const a = stops[k]!;
  const b = stops[k + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** A CSS linear-gradient of the map, for legends. */
export function cssGradient(name: ColourMapName): string {
  const stops = COLOUR_MAPS[name];
  return `linear-gradient(to right, ${stops.map((c, i) => `rgb(${c.join(",")}) ${((i / (stops.length - 1)) * 100).toFixed(1)}%`).join(", ")})`;
}

/**
 * The colour of values above a capped scale's top: apart from every map's own colours (a light
 * blue-grey, or orange on the grey map), so a clipped region never reads as the highest level.
 */
export function clippedColour(name: ColourMapName): [number, number, number] {
  return name === "greys" ? [235, 150, 60] : [214, 222, 235];
}
