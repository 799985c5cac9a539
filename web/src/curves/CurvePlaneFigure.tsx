/**
 * The plane through A, B and the bend theta as a loss heatmap (Garipov et al. 2018, Figure 1), with
 * the trained curve drawn on it (white), the straight line A -> B (grey), the three models pinned
 * and the researchers' notes; a click on it picks a point for a new note where `onPick` is given.
 */
import { useMemo } from "react";
import type { Annotation, PathPoint } from "../api/types";
import { Legend } from "../components/PlotControls";
import { gridFromRows } from "../plot/grid";
import { chooseScale, valueStats } from "../plot/scale";
import { SurfacePlot } from "../plot/SurfacePlot";
import type { CurveValues } from "./curve-values";

type Plane = NonNullable<CurveValues["plane"]>;

// The plot's labels are drawn from a font atlas of ASCII characters: "theta", not the Greek letter.
const LABELS: Record<string, string> = { "model A": "A", "model B": "B", theta: "theta" };

interface Props {
  id: string;
  plane: Plane;
  /** The model has BatchNorm, whose statistics were recomputed on the training data at every point of the plane. */
  batchNorm?: boolean;
  /** Notes pinned on the plane, drawn beside the models (default none). */
  notes?: readonly Annotation[];
  selectedNote?: string | null;
  onPick?: (point: { a: number; b: number }) => void;
}

export function CurvePlaneFigure({ id, plane, batchNorm = false, notes = [], selectedNote = null, onPick }: Props) {
  const grid = useMemo(() => gridFromRows(plane.xs, plane.ys, plane.loss, plane.accuracy), [plane]);
  const choice = useMemo(() => chooseScale("linear", [valueStats(grid.loss)], { min: null, max: null, capped: true }), [grid]);
  // The overlay draws a path of PathPoints and labelled pins of Annotations; the curve and the
  // models need only their coordinates (and a label), so the other fields are left empty.
  const path = useMemo(() => plane.curve.map((p, k) => ({ step: k, x: p.x, y: p.y, distance: 0, fromFinal: null, offPlaneFraction: 0 }) as unknown as PathPoint), [plane]);
  const pins = useMemo(
    () => plane.models.map((m) => ({ id: `${id}-${m.name}`, x: m.x, y: m.y, kind: "NOTE", label: LABELS[m.name ?? ""] ?? m.name ?? "", body: null, updatedAt: "", author: null }) as unknown as Annotation),
    [plane, id],
  );
  const marks = useMemo(() => [...pins, ...notes], [pins, notes]);
  const axisTitles = useMemo((): [string, string] => ["along B - A", "towards theta"], []);
  return (
    <figure className="compare-cell" data-testid="curve-plane">
      <SurfacePlot
        id={`${id}-plane`}
        mode="2d"
        grid={grid}
        values={grid.loss}
        version={1}
        scale={choice.scale}
        colourMap="viridis"
        path={path}
        guide={plane.line}
        annotations={marks}
        selectedAnnotation={selectedNote}
        onPick={onPick}
        axisTitles={axisTitles}
        height={460}
        label="Training loss over the plane through A, B and θ, with the trained curve and the straight line"
      />
      <Legend scale={choice.scale} map="viridis" title="Training loss" cap={choice.cap} dataMax={choice.dataMax} />
      <figcaption className="small muted">
        A at (0, 0), B at (1, 0); the trained curve in white, the straight line in grey. Coordinates are in units of |B − A| (the reference's orthonormal basis, scaled).
        {batchNorm && " BatchNorm's running statistics were recomputed on the training data at every point of the plane, as the reference does."}
      </figcaption>
    </figure>
  );
}
