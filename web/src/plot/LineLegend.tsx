/** The legend of a line plot: one entry per curve, its colour (the metric) and its style (the series). */
import { ACCURACY_COLOUR, LOSS_COLOUR, SERIES_DASHES, SERIES_STYLE_NAMES } from "./line-layers";

/** One entry's text: "loss (left axis)", or with several series "Skip: loss (left axis, dashed)". */
export function lineLegendEntries(names: readonly string[]): { key: string; text: string; colour: [number, number, number]; dash: [number, number] | null }[] {
  return names.flatMap((name, k) => {
    const dash = SERIES_DASHES[k % SERIES_DASHES.length]!;
    const style = names.length > 1 ? `, ${SERIES_STYLE_NAMES[k % SERIES_STYLE_NAMES.length]}` : "";
    const prefix = names.length > 1 ? `${name}: ` : "";
    return [
      { key: `${k}-loss`, text: `${prefix}loss (left axis${style})`, colour: LOSS_COLOUR, dash },
      { key: `${k}-accuracy`, text: `${prefix}accuracy (right axis${style})`, colour: ACCURACY_COLOUR, dash },
    ];
  });
}

export function LineLegend({ names }: { names: readonly string[] }) {
  return (
    <ul className="line-legend small" data-testid="series-legend" aria-label="Curves">
      {lineLegendEntries(names).map((e) => (
        <li key={e.key}>
          <svg width="28" height="10" aria-hidden="true">
            <line x1="1" x2="27" y1="5" y2="5" stroke={`rgb(${e.colour.join(",")})`} strokeWidth="2.5" strokeDasharray={e.dash ? `${e.dash[0] * 2} ${e.dash[1] * 2}` : undefined} />
          </svg>
          <span>{e.text}</span>
        </li>
      ))}
    </ul>
  );
}
