/**
 * What an experiment's surfaces measured, in words: the numbers behind each side (non-convexity,
 * basin width, explained variance) and a conclusion drawn from those numbers alone, so a caption
 * never claims what its own surfaces do not show.
 */
import type { ExperimentKind } from "./definitions.js";
import { LOSS_CAP_FACTOR } from "../../engine/pure.js";

export interface MeasuredSide {
  role: string;
  nonConvexity: number | null;
  basinWidth: number | null;
  lossMin: number | null;
  explainedVariance?: readonly number[] | null;
  /**
   * PCA: each checkpoint's distance off the plane and from the final model (weight-space units,
   * offPlane^2 + x^2 + y^2 = fromFinal^2), in step order.
   */
  path?: readonly { step: number; offPlane: number; fromFinal: number }[] | null;
  /** The mean |lambda_min / lambda_max| of the side's eigen-ratio map, when it has one. */
  meanEigenRatio?: number | null;
  /** Local minima of the plane with a persistence of at least 1% of its loss range (the viewer's default). */
  minima?: number | null;
}

/** Differences smaller than these ratios are reported as "about the same". */
const NON_CONVEXITY_RATIO = 1.5;
const WIDTH_RATIO = 1.2;

const fmt = (v: number) => Number(v.toPrecision(2)).toString();
const pct = (v: number) => `${Number((v * 100).toPrecision(3))}%`;

/**
 * How far a training path lies off its PCA plane, in a sentence: the farthest any checkpoint lies
 * off it against the farthest any lies from the final model (the path's extent), so the number
 * is the share of the path's scale the plane misses. Near the minimum the steps are short, and
 * what is left of them can lie mostly off the plane: said apart, for the checkpoint where that
 * share is largest, when it is over half.
 */
export function describeOffPlane(path: readonly { step: number; offPlane: number; fromFinal: number }[]): string {
  const extent = Math.max(0, ...path.map((p) => p.fromFinal));
  if (!(extent > 0)) return "";
  const farthest = path.reduce((a, p) => (p.offPlane > a.offPlane ? p : a), path[0]!);
  const text = [` No checkpoint lies farther off the plane than ${pct(farthest.offPlane / extent)} of the path's extent (step ${farthest.step}: ${fmt(farthest.offPlane)} off it, against ${fmt(extent)} from the start to the final model).`];
  const share = (p: { offPlane: number; fromFinal: number }) => (p.fromFinal > 0 ? p.offPlane / p.fromFinal : 0);
  const late = path.reduce((a, p) => (share(p) > share(a) ? p : a), path[0]!);
  if (share(late) > 0.5) {
    text.push(`Near the end, where the steps are short, what is left of the path lies mostly off the plane: ${pct(share(late))} of the way from step ${late.step} to the final model (${fmt(late.fromFinal)}).`);
  }
  return text.join(" ");
}

/** The measured part of a caption; null until every side has its numbers. */
export function measuredCaption(kind: ExperimentKind, sides: readonly MeasuredSide[]): string | null {
  if (sides.length === 0) return null;
  if (kind === "trajectory") {
    const [side] = sides;
    const v = side!.explainedVariance;
    if (!v || v.length < 2) return null;
    const held = v[0]! + v[1]!;
    const verdict = held >= 0.8 ? "so the plane holds most of the path, as the paper reports" : "so much of the path lies off this plane, unlike the paper's runs";
    return `Measured: PC1 and PC2 explain ${pct(v[0]!)} and ${pct(v[1]!)} of the checkpoints' variation (${pct(held)} together), ${verdict}.${describeOffPlane(side!.path ?? [])}`;
  }
  if (sides.some((s) => s.nonConvexity === null || s.basinWidth === null)) return null;
  const describe = (s: MeasuredSide) => `non-convexity ${fmt(s.nonConvexity!)}, basin width ${fmt(s.basinWidth!)}, lowest loss ${s.lossMin === null ? "–" : fmt(s.lossMin)}`;
  const definition = "basin width: diameter of the region within 1.0 of the lowest loss, in direction units";
  if (kind === "over-training") {
    // The first surface is the trained network's plane; the others are its frames, step by step.
    const [plane, ...frames] = sides as [MeasuredSide, ...MeasuredSide[]];
    const text = [`Measured (${definition}): the trained network's plane: ${describe(plane)}.`];
    const first = frames[0];
    const last = frames.at(-1);
    if (first && last && first !== last && first.lossMin !== null && last.lossMin !== null) {
      text.push(`Over its ${frames.length} checkpoints the lowest loss on the plane goes from ${fmt(first.lossMin)} to ${fmt(last.lossMin)} and the basin width from ${fmt(first.basinWidth!)} to ${fmt(last.basinWidth!)}.`);
    }
    return text.join(" ");
  }
  if (kind === "depth") return depthCaption(sides, describe, definition);
  if (kind === "width") return widthCaption(sides, describe, definition);
  const text = [`Measured (${definition}): ${sides.map((s) => `${s.role}: ${describe(s)}`).join("; ")}.`];
  if (sides.length !== 2) return text.join(" ");
  const [a, b] = sides as [MeasuredSide, MeasuredSide];
  if (a.meanEigenRatio != null && b.meanEigenRatio != null) {
    // Li et al. (2018, section 6): |lambda_min / lambda_max| near 0 means locally convex.
    const er = compare(a.meanEigenRatio, b.meanEigenRatio, NON_CONVEXITY_RATIO, 0.01);
    text.push(
      `Eigen-ratio maps (the Hessian's mean |λmin/λmax| over the plane, 0 where it is convex): ${a.role}: ${fmt(a.meanEigenRatio)}; ${b.role}: ${fmt(b.meanEigenRatio)}${
        er === 0 ? ", about the same" : `, so "${er > 0 ? a.role : b.role}" is the less convex by its Hessian${kind === "skip" ? (er > 0 ? ", as the paper's Figure 7 shows for networks without skip connections" : ", the opposite of the paper's Figure 7") : ""}`
      }.`,
    );
  }
  const nc = compare(a.nonConvexity!, b.nonConvexity!, NON_CONVEXITY_RATIO, 0.01);
  text.push(
    nc === 0
      ? `Both surfaces are about equally non-convex here${kind === "skip" ? ", so at this depth the skip connections make no visible difference to the landscape's shape" : ""}.`
      : `The surface ${nc > 0 ? `"${a.role}"` : `"${b.role}"`} is the more non-convex (${fmt(Math.max(a.nonConvexity!, b.nonConvexity!))} against ${fmt(Math.min(a.nonConvexity!, b.nonConvexity!))})${kind === "skip" && nc > 0 ? ", as the paper reports for networks without skip connections" : kind === "skip" ? ", the opposite of the paper's finding" : ""}.`,
  );
  const w = compare(a.basinWidth!, b.basinWidth!, WIDTH_RATIO, 1e-9);
  text.push(
    w === 0
      ? "Their basins are about equally wide."
      : `The basin of "${w > 0 ? a.role : b.role}" is the wider (${fmt(Math.max(a.basinWidth!, b.basinWidth!))} against ${fmt(Math.min(a.basinWidth!, b.basinWidth!))})${kind === "batch" ? (w > 0 ? ", as the paper reports for small batches" : ", the opposite of what is said of small batches") : ""}.`,
  );
  // A side that trained less far is a different comparison: say so.
  if (a.lossMin !== null && b.lossMin !== null && compare(a.lossMin, b.lossMin, 1.5, 0.05) !== 0) {
    const [worse, better] = a.lossMin > b.lossMin ? [a, b] : [b, a];
    text.push(`Note that "${worse.role}" ended at a higher loss (${fmt(worse.lossMin!)} against ${fmt(better.lossMin!)}): it trained less far, which also shapes its landscape.`);
  }
  return text.join(" ");
}

/** 1 when a is larger by more than `ratio` (and by more than `floor`), -1 when b is, else 0. */
function compare(a: number, b: number, ratio: number, floor: number): number {
  if (Math.abs(a - b) <= floor) return 0;
  if (a > b * ratio) return 1;
  if (b > a * ratio) return -1;
  return 0;
}

/**
 * Depth with and without shortcuts: sides come in pairs by depth, plain first. The paper's effect
 * shows when, at the deepest depth, the plain network's plane is clearly the more non-convex of
 * the pair and holds more than one significant minimum, while its residual twin holds one.
 */
function depthCaption(sides: readonly MeasuredSide[], describe: (s: MeasuredSide) => string, definition: string): string {
  const { text, plain, residual } = pairedSides(sides, describe, definition);
  if (!plain) return text.join(" ");
  const [deepPlain, deepResidual] = [plain.at(-1)!, residual!.at(-1)!];
  const more = compare(deepPlain.nonConvexity!, deepResidual.nonConvexity!, NON_CONVEXITY_RATIO, 0.01) > 0;
  const chaotic = deepPlain.minima != null && deepResidual.minima != null ? deepPlain.minima > 1 && deepResidual.minima <= 1 : null;
  text.push(trend(plain, residual!));
  if (more && chaotic !== false) {
    text.push(`At the deepest depth the plane without shortcuts is the more non-convex (${fmt(deepPlain.nonConvexity!)} against ${fmt(deepResidual.nonConvexity!)})${chaotic ? `, with ${deepPlain.minima} significant local minima against one` : ""}, as the paper's Figure 5 shows.`);
  } else if (more) {
    text.push(`At the deepest depth the plane without shortcuts is the more non-convex (${fmt(deepPlain.nonConvexity!)} against ${fmt(deepResidual.nonConvexity!)}), but it has no more significant local minima than its twin: the paper's chaotic surface does not appear at these depths.`);
  } else {
    text.push(`At the deepest depth the two planes are about equally non-convex (${fmt(deepPlain.nonConvexity!)} without shortcuts, ${fmt(deepResidual.nonConvexity!)} with): the paper's effect of depth does not appear at these depths.`);
  }
  if (deepPlain.meanEigenRatio != null && deepResidual.meanEigenRatio != null) {
    // Li et al. (2018, section 6 and Figure 7): |lambda_min / lambda_max| near 0 means locally convex.
    const er = compare(deepPlain.meanEigenRatio, deepResidual.meanEigenRatio, NON_CONVEXITY_RATIO, 0.01);
    const verdict = er > 0 ? "so without shortcuts the deepest network is the less convex by its Hessian, as the paper's Figure 7 shows" : er < 0 ? "so with shortcuts it is the less convex by its Hessian, the opposite of the paper's Figure 7" : "about the same";
    text.push(`Eigen-ratio maps of the deepest pair (the Hessian's mean |λmin/λmax| over the plane, 0 where it is convex): ${deepPlain.role}: ${fmt(deepPlain.meanEigenRatio)}; ${deepResidual.role}: ${fmt(deepResidual.meanEigenRatio)}, ${verdict}.`);
  }
  if (deepPlain.lossMin !== null && deepResidual.lossMin !== null && compare(deepPlain.lossMin, deepResidual.lossMin, 1.5, 0.05) > 0) {
    text.push(`Note that ${deepPlain.role} ended at a higher loss (${fmt(deepPlain.lossMin)} against ${fmt(deepResidual.lossMin)}): deep plain networks are harder to train, which the paper also reports.`);
  }
  return text.filter(Boolean).join(" ");
}

/** The measured list of paired sides (plain first, then its twin with shortcuts), and the two rows when the sides pair up. */
function pairedSides(sides: readonly MeasuredSide[], describe: (s: MeasuredSide) => string, definition: string): { text: string[]; plain: MeasuredSide[] | null; residual: MeasuredSide[] | null } {
  const count = (s: MeasuredSide) => (s.minima == null ? "" : `, ${s.minima} significant local minim${s.minima === 1 ? "um" : "a"}`);
  const text = [`Measured (${definition}; significant minima: persistence of at least 1% of the plane's loss range up to its figure's default cap, ${LOSS_CAP_FACTOR} median rises above the lowest loss): ${sides.map((s) => `${s.role}: ${describe(s)}${count(s)}`).join("; ")}.`];
  if (sides.length < 2 || sides.length % 2 !== 0) return { text, plain: null, residual: null };
  return { text, plain: sides.filter((_, k) => k % 2 === 0), residual: sides.filter((_, k) => k % 2 === 1) };
}

/** How non-convexity changes along the rows, without and with shortcuts. */
function trend(plain: readonly MeasuredSide[], residual: readonly MeasuredSide[]): string {
  if (plain.length < 2) return "";
  return `Without shortcuts the non-convexity goes from ${fmt(plain[0]!.nonConvexity!)} (${plain[0]!.role}) to ${fmt(plain.at(-1)!.nonConvexity!)} (${plain.at(-1)!.role}); with them from ${fmt(residual[0]!.nonConvexity!)} to ${fmt(residual.at(-1)!.nonConvexity!)}.`;
}

/**
 * Width with and without shortcuts: sides come in pairs by width (narrowest first), plain first.
 * The paper's effect (its Figure 6) shows when the widest network's plane is clearly less
 * non-convex than the narrowest's, on each side.
 */
function widthCaption(sides: readonly MeasuredSide[], describe: (s: MeasuredSide) => string, definition: string): string {
  const { text, plain, residual } = pairedSides(sides, describe, definition);
  if (!plain || plain.length < 2) return text.join(" ");
  text.push(trend(plain, residual!));
  const smoother = (row: readonly MeasuredSide[]) => compare(row[0]!.nonConvexity!, row.at(-1)!.nonConvexity!, NON_CONVEXITY_RATIO, 0.01) > 0;
  const [plainSmoother, residualSmoother] = [smoother(plain), smoother(residual!)];
  if (plainSmoother && residualSmoother) text.push("The widest networks' planes are clearly the less non-convex on both sides, as the paper's Figure 6 shows.");
  else if (plainSmoother || residualSmoother) {
    text.push(`Only ${plainSmoother ? "without" : "with"} shortcuts is the widest network's plane clearly the less non-convex; ${plainSmoother ? "with" : "without"} them width makes no clear difference here, so the paper's Figure 6 effect appears only in part.`);
  } else text.push("Width makes no clear difference to non-convexity here on either side: the paper's Figure 6 effect does not appear at these widths.");
  return text.filter(Boolean).join(" ");
}


/** A path's barriers as a curve stores them (accuracy as a fraction). */
export interface MeasuredBarriers {
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number | null;
  testAccuracy: number | null;
}

/**
 * The curve's loss barrier is "clearly lower" than the line's when it is at most this share of it
 * and below it by more than CONNECTIVITY_FLOOR: Garipov et al.'s curves bring the barrier down to
 * a small fraction of the line's (the README's MNIST run: 0.040 against 0.499).
 */
const CONNECTIVITY_SHARE = 0.5;
/** Loss barriers below this are "almost none": the two minima are then already linearly connected. */
const CONNECTIVITY_FLOOR = 0.02;

/** Accuracy as percentage points, to two significant digits. */
const points = (v: number) => `${fmt(v * 100)} points`;

/** The ensemble along the curve's training accuracy and each end's (0-1). */
export interface MeasuredEnsemble {
  members: number;
  trainAccuracy: number;
  trainAccuracyA: number;
  trainAccuracyB: number;
}

/** The measured part of the connectivity experiment's caption, from the curve's and the line's barriers (and the ensemble along the curve, when it has one). */
export function connectivityCaption(line: MeasuredBarriers, curve: MeasuredBarriers, ensemble: MeasuredEnsemble | null = null): string {
  const path = (b: MeasuredBarriers, set: "train" | "test") =>
    `the loss barrier is ${fmt(set === "train" ? b.trainLoss : b.testLoss!)} and accuracy falls by ${points(set === "train" ? b.trainAccuracy : b.testAccuracy!)}`;
  const text = [`Measured on the training data: along the straight line from A to B ${path(line, "train")}; along the trained curve ${path(curve, "train")}.`];
  if (line.testLoss != null && curve.testLoss != null && line.testAccuracy != null && curve.testAccuracy != null) {
    text.push(`On the test data: along the line ${path(line, "test")}; along the curve ${path(curve, "test")}.`);
  }
  if (line.trainLoss <= CONNECTIVITY_FLOOR) {
    text.push(`The straight line shows almost no barrier (under ${CONNECTIVITY_FLOOR}): these two minima are already linearly connected here, so the curve cannot be clearly lower.`);
  } else if (curve.trainLoss <= CONNECTIVITY_SHARE * line.trainLoss && line.trainLoss - curve.trainLoss > CONNECTIVITY_FLOOR) {
    text.push(`The curve's barrier is clearly lower than the line's (${fmt(curve.trainLoss)} against ${fmt(line.trainLoss)}): a simple curve connects the two minima through low loss, as Garipov et al. (2018) find.`);
  } else {
    text.push(`The curve's barrier is not clearly lower than the line's (${fmt(curve.trainLoss)} against ${fmt(line.trainLoss)}, not below half of it): the low-loss path Garipov et al. (2018) find does not appear here.`);
  }
  if (ensemble) {
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
    text.push(`The ensemble of ${ensemble.members} models along the curve (their softmax outputs averaged) is ${pct(ensemble.trainAccuracy)} accurate on the training data, against ${pct(ensemble.trainAccuracyA)} for A and ${pct(ensemble.trainAccuracyB)} for B.`);
  }
  return text.join(" ");
}
