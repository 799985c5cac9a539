/**
 * The measured part of the caption of "What filter normalization fixes" (Li et al. 2018, Figures
 * 2-4): per pair, each side's test error (from its run's curve), the width of its minimum's basin
 * along the 1D slice without and with filter normalization, and whether, with normalization, the
 * flatter minimum is the one with the lower test error. Drawn from the numbers alone.
 */

export interface NormalizationSide {
  role: string;
  /** 1 - the last measured test accuracy of the side's run; null when its run measured none. */
  testError: number | null;
  /** Held-out rows the test error was measured on; null when unknown. */
  testRows: number | null;
  /** Basin width of the slice without normalization and with filter normalization (direction units). */
  widthNone: number | null;
  widthFilter: number | null;
}

export interface NormalizationPair {
  title: string;
  sides: readonly [NormalizationSide, NormalizationSide];
}

/** Widths closer than this ratio are "about the same". */
const WIDTH_RATIO = 1.2;
/** Test errors closer than this (absolute) are "about the same" whatever the rows they were measured on. */
const TEST_ERROR_GAP = 0.01;
/** Two-sided 95% point of the normal distribution. */
const Z_95 = 1.96;

const fmt = (v: number) => Number(v.toPrecision(2)).toString();
const pct = (v: number) => `${Number((v * 100).toPrecision(3))}%`;

/** The wider side (0 or 1), or null when the widths are about the same. */
export function flatter(a: number, b: number): 0 | 1 | null {
  if (a > b * WIDTH_RATIO) return 0;
  if (b > a * WIDTH_RATIO) return 1;
  return null;
}

/**
 * The smallest difference of two test errors, each measured on `rows` held-out rows, that those rows
 * tell apart: the two-proportion z-test at 95% on the pooled error (conservative for two models
 * scored on the same rows, whose errors are positively correlated), and at least TEST_ERROR_GAP.
 * At 10% error on 1,000 rows it is 2.6 points.
 */
export function testErrorResolution(a: number, b: number, rows: number | null): number {
  if (rows === null || rows <= 0) return TEST_ERROR_GAP;
  const pooled = (a + b) / 2;
  return Math.max(TEST_ERROR_GAP, Z_95 * Math.sqrt((pooled * (1 - pooled) * 2) / rows));
}

/** The side with the lower test error (0 or 1), or null when `rows` held-out rows cannot tell them apart. */
export function betterTested(a: number, b: number, rows: number | null = null): 0 | 1 | null {
  if (Math.abs(a - b) < testErrorResolution(a, b, rows)) return null;
  return a < b ? 0 : 1;
}

/**
 * What one pair's numbers show, in words; null until both sides have their slices' widths.
 * `sliceLength` is the length of a slice (its basin width cannot exceed it).
 */
export function pairCaption(pair: NormalizationPair, sliceLength: number): string | null {
  const [a, b] = pair.sides;
  if (a.widthNone === null || a.widthFilter === null || b.widthNone === null || b.widthFilter === null) return null;
  const width = (w: number) => (w >= sliceLength - 1e-9 ? `≥ ${fmt(w)} (the whole slice)` : fmt(w));
  const text = [
    `${pair.title}: test error ${a.role} ${a.testError === null ? "not measured" : pct(a.testError)}, ${b.role} ${b.testError === null ? "not measured" : pct(b.testError)};` +
      ` basin width of the slice without normalization ${width(a.widthNone)} (${a.role}) and ${width(b.widthNone)} (${b.role}), with filter normalization ${width(a.widthFilter)} and ${width(b.widthFilter)}.`,
  ];
  if (a.testError === null || b.testError === null) {
    text.push("Without a test error for both sides, sharpness cannot be checked against generalization here.");
    return text.join(" ");
  }
  const rows = a.testRows !== null && b.testRows !== null ? Math.min(a.testRows, b.testRows) : null;
  const better = betterTested(a.testError, b.testError, rows);
  const flatFiltered = flatter(a.widthFilter, b.widthFilter);
  const flatRaw = flatter(a.widthNone, b.widthNone);
  if (better === null) {
    const resolution = testErrorResolution(a.testError, b.testError, rows);
    const within = rows === null ? `within ${pct(resolution)}` : `${pct(Math.abs(a.testError - b.testError))} apart; ${rows.toLocaleString("en-US")} held-out rows tell apart only differences of ${pct(resolution)} or more, at 95%`;
    text.push(`The two test errors are about the same (${within}), so there is no difference in generalization for sharpness to predict; the paper's effect cannot show in this pair.`);
    return text.join(" ");
  }
  const winner = pair.sides[better].role;
  const raw =
    flatRaw === null
      ? "Without normalization the two minima look about equally wide"
      : `Without normalization the flatter-looking minimum is "${pair.sides[flatRaw].role}"${flatRaw === better ? ", which does have the lower test error" : ", which has the higher test error: the comparison misleads, as the paper warns"}`;
  text.push(`${raw}.`);
  if (flatFiltered === null) {
    text.push(`With filter normalization both minima are about equally wide, so sharpness does not tell apart "${winner}", the lower test error, from the other: the paper's effect does not appear here.`);
  } else if (flatFiltered === better) {
    text.push(`With filter normalization the flatter minimum is "${winner}", the one with the lower test error, as the paper shows.`);
  } else {
    text.push(`With filter normalization the flatter minimum is "${pair.sides[flatFiltered].role}", which has the higher test error: the paper's effect does not appear here.`);
  }
  return text.join(" ");
}

/** The measured caption of every pair; null until every pair has its numbers. */
export function normalizationCaption(pairs: readonly NormalizationPair[], sliceLength: number): string | null {
  const parts = pairs.map((pair) => pairCaption(pair, sliceLength));
  if (parts.length === 0 || parts.some((p) => p === null)) return null;
  return `Measured (basin width: length of the slice within 1.0 of its lowest loss, in direction units; test error on the held-out rows): ${parts.join(" ")}`;
}
