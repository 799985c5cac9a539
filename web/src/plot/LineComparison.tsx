/**
 * 1D surfaces compared on one line plot, as in Li et al.'s Figure 2: every surface's loss on the
 * left axis and accuracy on the right one, one curve style per surface (solid, dashed, ...), with a
 * legend naming them.
 */
import { useMemo } from "react";
import type { Surface } from "../api/types";
import type { SurfaceGrid } from "./grid";
import { LineLegend } from "./LineLegend";
import { chooseScale, type ScaleKind, valueStats } from "./scale";
import { SurfacePlot } from "./SurfacePlot";

export function LineComparison({ items, roles, xTitle, scaleKind, min, max }: {
  items: { surface: Surface; grid: SurfaceGrid }[];
  /** An experiment's run roles by surface id, which name the curves in place of the surfaces' names. */
  roles: Map<string, string>;
  /** The x axis's name: "t" for interpolations, "a" for slices. */
  xTitle: string;
  scaleKind: ScaleKind;
  /** The loss axis's range, null for the data's own (never capped). */
  min: number | null;
  max: number | null;
}) {
  const names = items.map(({ surface }) => roles.get(surface.id) ?? surface.name);
  // The page builds a new roles map on every render: the curves change only with the names.
  const lines = useMemo(() => items.map(({ grid }, k) => ({ name: names[k]!, grid })), [items, names.join("\n")]); // eslint-disable-line react-hooks/exhaustive-deps
  const axisTitles = useMemo((): [string, string] => [xTitle, "b"], [xTitle]);
  const scale = useMemo(
    () => chooseScale(scaleKind, items.map(({ grid }) => valueStats(grid.loss)), { min, max, capped: false }).scale,
    [items, scaleKind, min, max],
  );
  const first = items[0]!;
  return (
    <figure className="compare-cell" data-testid="line-comparison">
      <SurfacePlot
        id="compare-lines"
        mode="1d"
        grid={first.grid}
        values={first.grid.loss}
        version={1}
        scale={scale}
        colourMap="viridis"
        lines={lines}
        axisTitles={axisTitles}
        height={420}
        label={`Loss and accuracy of ${lines.map((l) => l.name).join(", ")}`}
      />
      <LineLegend names={lines.map((l) => l.name)} />
    </figure>
  );
}
