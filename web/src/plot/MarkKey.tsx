/**
 * The legend of the marks on a plot: each kind of critical point it shows, as the glyph the plot
 * draws (glyphs.ts) with what the kind means, and the notes' pins.
 */
import { GLYPH_KINDS, GLYPH_MEANINGS, type GlyphKind, glyphPath } from "./glyphs";
import { CRITICAL_COLOURS } from "./world";

const rgb = (c: readonly number[]) => `rgb(${c[0]},${c[1]},${c[2]})`;

/** The on-screen pins' colours (overlay-layers.ts). */
const PIN_FILL = "rgb(232,62,140)";

export function MarkKey({ kinds, notes = false }: { kinds: readonly string[]; notes?: boolean }) {
  const shown = GLYPH_KINDS.filter((k) => kinds.includes(k));
  if (shown.length === 0 && !notes) return null;
  return (
    <span className="mark-key" data-testid="mark-key">
      {shown.map((kind: GlyphKind) => (
        <span key={kind} className="mark-key-item" data-kind={kind}>
          <svg className="glyph" viewBox="-1.5 -1.5 3 3" aria-hidden="true">
            <path d={glyphPath(kind, 0, 0, 1.1)} fill={rgb(CRITICAL_COLOURS[kind]!)} stroke="rgb(15,20,32)" strokeWidth="0.3" strokeLinejoin="round" />
          </svg>
          {GLYPH_MEANINGS[kind].plural} <span className="muted">({GLYPH_MEANINGS[kind].meaning})</span>
        </span>
      ))}
      {notes && (
        <span className="mark-key-item" data-kind="NOTE">
          <svg className="glyph" viewBox="-1.5 -1.5 3 3" aria-hidden="true"><circle r="1" fill={PIN_FILL} stroke="#ffffff" strokeWidth="0.3" /></svg>
          notes
        </span>
      )}
    </span>
  );
}
