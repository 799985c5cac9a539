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
  /** Basin width of the slice without normalization and with filter normalization (direction units). */
  widthNone: number | null;
  widthFilter: number | null;
}

export interface NormalizationPair {
  title: string;
  sides: readonly [NormalizationSide, NormalizationSide];
}

/** Widths closer than this ratio, and test errors closer than this (absolute), are "about the same". */
const WIDTH_RATIO = 1.2;
const TEST_ERROR_GAP = 0.01;

const fmt = (v: number) => Number(v.toPrecision(2)).toString();
const pct = (v: number) => `${Number((v * 100).toPrecision(3))}%`;

/** The wider side (0 or 1), or null when the widths are about the same. */
export function flatter(a: number, b: number): 0 | 1 | null {
  if (a > b * WIDTH_RATIO) return 0;
  if (b > a * WIDTH_RATIO) return 1;
  return null;
}

/** The side with the lower test error (0 or 1), or null when they are about the same. */
export function betterTested(a: number, b: number): 0 | 1 | null {
  if (Math.abs(a - b) < TEST_ERROR_GAP) return null;
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
  const better = betterTested(a.testError, b.testError);
  const flatFiltered = flatter(a.widthFilter, b.widthFilter);
  const flatRaw = flatter(a.widthNone, b.widthNone);
  if (better === null) {
    text.push(`The two test errors are about the same (within ${pct(TEST_ERROR_GAP)}), so there is no difference in generalization for sharpness to predict; the paper's effect cannot show in this pair.`);
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
