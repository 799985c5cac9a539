/**
 * A curve's evaluation as the line plots draw it: per data set, the trained curve and the straight
 * line as 1D grids over t (loss on the left axis, accuracy on the right), and the barrier numbers
 * in words.
 */
import type { CurveFieldsFragment } from "../api/gql/graphql";
import { gridFromRows, type SurfaceGrid } from "../plot/grid";

export type Curve = CurveFieldsFragment;
export type CurveValues = NonNullable<Curve["values"]>;
type Path = CurveValues["curve"];

/** One figure's series: the curve and the line on one data set. */
export interface CurveFigure {
  set: "train" | "test";
  title: string;
  lines: { name: string; grid: SurfaceGrid }[];
}

function gridOf(t: number[], loss: number[], accuracy: number[]): SurfaceGrid {
  return gridFromRows(t, [0], [loss], [accuracy]);
}

/** The training set's figure, and the test set's when the curve was measured on one. */
export function curveFigures(values: CurveValues, curveName = "trained curve"): CurveFigure[] {
  const figure = (set: "train" | "test", pick: (p: Path) => { loss: number[] | null; accuracy: number[] | null }): CurveFigure | null => {
    const c = pick(values.curve);
    const l = pick(values.line);
    if (!c.loss || !c.accuracy || !l.loss || !l.accuracy) return null;
    return {
      set,
      title: set === "train" ? "Training data" : "Test data",
      lines: [
        { name: curveName, grid: gridOf(values.t, c.loss, c.accuracy) },
        { name: "straight line A → B", grid: gridOf(values.t, l.loss, l.accuracy) },
      ],
    };
  };
  return [
    figure("train", (p) => ({ loss: p.trainLoss, accuracy: p.trainAccuracy })),
    figure("test", (p) => ({ loss: p.testLoss ?? null, accuracy: p.testAccuracy ?? null })),
  ].filter((f): f is CurveFigure => f !== null);
}

/** One row of the barrier table: a path's loss barrier and accuracy drop on one data set. */
export interface BarrierRow {
  path: string;
  set: string;
  loss: string;
  accuracy: string;
}

const lossText = (v: number) => v.toFixed(4);
const accuracyText = (v: number) => `${(v * 100).toFixed(1)} points`;

export function barrierRows(values: CurveValues, curveName = "Trained curve"): BarrierRow[] {
  const rows: BarrierRow[] = [];
  for (const [path, b] of [[curveName, values.curveBarriers], ["Straight line", values.lineBarriers]] as const) {
    rows.push({ path, set: "training", loss: lossText(b.trainLoss), accuracy: accuracyText(b.trainAccuracy) });
    if (b.testLoss !== null && b.testLoss !== undefined && b.testAccuracy !== null && b.testAccuracy !== undefined) {
      rows.push({ path, set: "test", loss: lossText(b.testLoss), accuracy: accuracyText(b.testAccuracy) });
    }
  }
  return rows;
}

/** One row of the ensemble table: a data set's accuracy of the ensemble along the curve and of each end alone. */
export interface EnsembleRow {
  set: string;
  ensemble: string;
  a: string;
  b: string;
}

export function ensembleRows(values: CurveValues): EnsembleRow[] {
  const e = values.ensemble;
  if (!e) return [];
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const rows = [{ set: "training", ensemble: pct(e.trainAccuracy), a: pct(e.trainAccuracyA), b: pct(e.trainAccuracyB) }];
  if (e.testAccuracy != null && e.testAccuracyA != null && e.testAccuracyB != null) rows.push({ set: "test", ensemble: pct(e.testAccuracy), a: pct(e.testAccuracyA), b: pct(e.testAccuracyB) });
  return rows;
}

/** "Bezier curve, 1 bend" / "polygonal chain, 2 bends". */
export function describeCurve(options: Curve["options"]): string {
  const bends = options.bends ?? 1;
  return `${options.kind === "POLYCHAIN" ? "Polygonal chain" : `Bezier curve of degree ${bends + 1}`}, ${bends} bend${bends === 1 ? "" : "s"}`;
}

export const curveFinished = (status: Curve["status"]) => status === "READY" || status === "FAILED" || status === "CANCELLED";

/**
 * The values as CSV: one row per t, the curve's and the line's loss and accuracy on the training
 * data (and the test data, when measured), then the barriers as comment lines.
 */
export function curveCsv(values: CurveValues): string {
  const columns: [string, number[]][] = [
    ["t", values.t],
    ["curve_train_loss", values.curve.trainLoss],
    ["curve_train_accuracy", values.curve.trainAccuracy],
    ["line_train_loss", values.line.trainLoss],
    ["line_train_accuracy", values.line.trainAccuracy],
  ];
  if (values.curve.testLoss && values.curve.testAccuracy && values.line.testLoss && values.line.testAccuracy) {
    columns.push(["curve_test_loss", values.curve.testLoss], ["curve_test_accuracy", values.curve.testAccuracy], ["line_test_loss", values.line.testLoss], ["line_test_accuracy", values.line.testAccuracy]);
  }
  const rows = values.t.map((_, k) => columns.map(([, c]) => String(c[k])).join(","));
  const barriers = barrierRows(values).map((r) => `# barrier ${r.path.toLowerCase()} ${r.set}: loss ${r.loss}, accuracy drop ${r.accuracy}`);
  return `${[columns.map(([name]) => name).join(","), ...rows, ...barriers].join("\n")}\n`;
}
