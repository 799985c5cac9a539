/**
 * One glyph per kind of critical point, the same on screen (2D and 3D), in every exported figure
 * and in the legends: a minimum is a downward triangle (the bottom of a valley), a maximum an
 * upward one (a peak), a saddle a diamond (a pass: lowest along one direction, highest along the
 * other). Shape and colour both differ, so the kinds stay apart in grey print and for readers who
 * do not tell green from red; a note is a circle, which no critical point is.
 */
import { CRITICAL_COLOURS } from "./world";

export const GLYPH_KINDS = ["MINIMUM", "SADDLE", "MAXIMUM"] as const;
export type GlyphKind = (typeof GLYPH_KINDS)[number];

/** What each glyph stands for, as the legends say it. */
export const GLYPH_MEANINGS: Record<GlyphKind, { name: string; plural: string; meaning: string }> = {
  MINIMUM: { name: "minimum", plural: "minima", meaning: "lowest point of its neighbourhood" },
  SADDLE: { name: "saddle", plural: "saddles", meaning: "a pass: lowest along one direction, highest along another" },
  MAXIMUM: { name: "maximum", plural: "maxima", meaning: "highest point of its neighbourhood" },
};

const S = Math.sqrt(3) / 2;
/**
 * Vertices of each glyph around its point, y up, in units of its radius: the triangles' centroids
 * lie on the point, so the mark sits where the point is.
 */
export const GLYPH_SHAPES: Record<GlyphKind, readonly [number, number][]> = {
  MINIMUM: [[0, -1.15], [1.15 * S, 0.575], [-1.15 * S, 0.575]],
  MAXIMUM: [[0, 1.15], [1.15 * S, -0.575], [-1.15 * S, -0.575]],
  SADDLE: [[0, 1.05], [1.05, 0], [0, -1.05], [-1.05, 0]],
};

export const isGlyphKind = (kind: string): kind is GlyphKind => (GLYPH_KINDS as readonly string[]).includes(kind);

const round = (v: number) => Number(v.toFixed(2)).toString();

/** The glyph of `kind` at (x, y) with radius r, as an SVG path (y down, as SVG's is). */
export function glyphPath(kind: GlyphKind, x: number, y: number, r: number): string {
  return `${GLYPH_SHAPES[kind].map(([u, v], k) => `${k === 0 ? "M" : "L"}${round(x + u * r)} ${round(y - v * r)}`).join("")}Z`;
}

/** Pixels of one glyph's cell in the icon atlas, and the glyph's radius in it. */
const CELL = 64;
const RADIUS = 24;

export interface GlyphAtlas {
  atlas: HTMLCanvasElement;
  mapping: Record<string, { x: number; y: number; width: number; height: number; anchorX: number; anchorY: number; mask: boolean }>;
}

let atlas: GlyphAtlas | null | undefined;

/**
 * The glyphs drawn once into a canvas for deck.gl's IconLayer, each filled in its kind's colour
 * and outlined dark so it reads on any colour of the map; null where there is no canvas to draw
 * on (unit tests without a browser), and the plots then leave the glyphs out.
 */
export function glyphAtlas(): GlyphAtlas | null {
  if (atlas !== undefined) return atlas;
  const canvas = typeof document === "undefined" ? null : document.createElement("canvas");
  const context = canvas?.getContext("2d") ?? null;
  if (!canvas || !context) return (atlas = null);
  canvas.width = CELL * GLYPH_KINDS.length;
  canvas.height = CELL;
  const mapping: GlyphAtlas["mapping"] = {};
  GLYPH_KINDS.forEach((kind, k) => {
    const [r, g, b] = CRITICAL_COLOURS[kind]!;
    context.beginPath();
    GLYPH_SHAPES[kind].forEach(([u, v], n) => {
      const at: [number, number] = [k * CELL + CELL / 2 + u * RADIUS, CELL / 2 - v * RADIUS];
      if (n === 0) context.moveTo(...at);
      else context.lineTo(...at);
    });
    context.closePath();
    context.fillStyle = `rgb(${r},${g},${b})`;
    context.fill();
    context.lineJoin = "round";
    context.lineWidth = 6;
    context.strokeStyle = "rgb(15,20,32)";
    context.stroke();
    mapping[kind] = { x: k * CELL, y: 0, width: CELL, height: CELL, anchorX: CELL / 2, anchorY: CELL / 2, mask: false };
  });
  return (atlas = { atlas: canvas, mapping });
}

/** On-screen size of a glyph's cell in pixels: the glyph itself about 14 pixels across. */
export const GLYPH_PIXELS = 19;
