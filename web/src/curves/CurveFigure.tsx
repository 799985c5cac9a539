/** One data set's loss and accuracy along t: the trained curve (solid) and the straight line (dashed). */
import { useMemo } from "react";
import { LineLegend } from "../plot/LineLegend";
import { chooseScale, valueStats } from "../plot/scale";
import { SurfacePlot } from "../plot/SurfacePlot";
import type { CurveFigure as Figure } from "./curve-values";

export function CurveFigure({ id, figure }: { id: string; figure: Figure }) {
  const axisTitles = useMemo((): [string, string] => ["t", "b"], []);
  const scale = useMemo(() => chooseScale("linear", figure.lines.map((l) => valueStats(l.grid.loss)), { min: null, max: null, capped: false }).scale, [figure]);
  const first = figure.lines[0]!;
  return (
    <figure className="compare-cell" data-testid={`curve-figure-${figure.set}`}>
      <figcaption><strong>{figure.title}</strong></figcaption>
      <SurfacePlot
        id={`${id}-${figure.set}`}
        mode="1d"
        grid={first.grid}
        values={first.grid.loss}
        version={1}
        scale={scale}
        colourMap="viridis"
        lines={figure.lines}
        axisTitles={axisTitles}
        height={360}
        label={`Loss and accuracy along t on the ${figure.title.toLowerCase()}: ${figure.lines.map((l) => l.name).join(", ")}`}
      />
      <LineLegend names={figure.lines.map((l) => l.name)} />
    </figure>
  );
}
