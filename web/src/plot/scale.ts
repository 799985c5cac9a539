/** Value scales: where a value falls in [0, 1] between a range's ends, linear or log10. */

export type ScaleKind = "linear" | "log";

export interface ValueScale {
  kind: ScaleKind;
  min: number;
  max: number;
  /** Position of `value` in [0, 1] (unclamped); NaN for values the scale cannot show. */
  normalize(value: number): number;
  /** Tick values between min and max, about `count` of them. */
  ticks(count?: number): number[];
}

/** Smallest positive value a log scale shows; losses of exactly 0 are drawn at this floor. */
export const LOG_FLOOR = 1e-6;

export function makeScale(kind: ScaleKind, min: number, max: number): ValueScale {
  if (kind === "log") {
    const lo = Math.log10(Math.max(LOG_FLOOR, min));
    const hi = Math.log10(Math.max(LOG_FLOOR, max));
    const span = hi - lo || 1;
    return {
      kind, min, max,
      normalize: (v) => (Number.isFinite(v) ? (Math.log10(Math.max(LOG_FLOOR, v)) - lo) / span : Number.NaN),
      ticks: (count = 5) => Array.from({ length: count }, (_, i) => 10 ** (lo + (span * i) / (count - 1))),
    };
  }
  const span = max - min || 1;
  return {
    kind, min, max,
    normalize: (v) => (Number.isFinite(v) ? (v - min) / span : Number.NaN),
    ticks: (count = 5) => niceTicks(min, max, count),
  };
}

/** Round-numbered ticks covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Short display of a value: 3 significant digits, exponent form when very large or small. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return Number(v.toPrecision(3)).toString();
}

/** What a default scale needs to know of a surface's values: their finite min, median and max. */
export interface ValueStats {
  min: number;
  median: number;
  max: number;
}

export function valueStats(values: ArrayLike<number>): ValueStats | null {
  let n = 0;
  for (let k = 0; k < values.length; k++) if (Number.isFinite(values[k]!)) n++;
  if (n === 0) return null;
  const finite = new Float64Array(n);
  n = 0;
  for (let k = 0; k < values.length; k++) if (Number.isFinite(values[k]!)) finite[n++] = values[k]!;
  finite.sort();
  const mid = n >> 1;
  return { min: finite[0]!, median: n % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2, max: finite[n - 1]! };
}

/**
 * Multiples of the median rise (median - min) above the minimum where the default cap of a loss
 * scale lies. Li et al. cut their loss surfaces at a fixed level so the basin shows; a cap from the
 * data does the same for any loss. A quadratic bowl (its median rise is about a third of its
 * range) is cut only at its corners; a surface that shoots up far from its minimum (0.5 at the
 * centre, 367 in a corner) is cut at about a seventh of its maximum, where the basin takes up the
 * lower part of the colour range; the demo's skip-connection planes (loss 1.3 to 28.8) at 15.
 */
export const CAP_FACTOR = 3;

/**
 * The loss span significance is measured against: from the lowest value to the default cap (or to
 * the highest value when nothing is cut), so a corner that shoots far up does not hide the local
 * minima of the basin the figure shows. The API's default (LOSS_CAP_FACTOR in the engine's
 * options) is the same.
 */
export function significanceSpan(stats: ValueStats | null): number {
  if (!stats) return 0;
  return (autoCap([stats]) ?? stats.max) - stats.min;
}

/**
 * The default cap over one or more surfaces drawn on one scale: the highest of their minima plus
 * CAP_FACTOR times the smallest of their median rises, so the smoothest surface keeps its detail
 * and every surface's basin lies below the cap. Null when nothing would be cut.
 */
export function autoCap(stats: readonly ValueStats[]): number | null {
  if (stats.length === 0) return null;
  let floor = -Infinity;
  let rise = Infinity;
  let top = -Infinity;
  for (const s of stats) {
    floor = Math.max(floor, s.min);
    rise = Math.min(rise, s.median - s.min);
    top = Math.max(top, s.max);
  }
  if (!(rise > 0)) return null;
  const cap = floor + CAP_FACTOR * rise;
  return cap < top ? cap : null;
}

export interface ScaleChoice {
  scale: ValueScale;
  /** The cap in use (values above it are drawn clipped), null when the scale shows the full range. */
  cap: number | null;
  /** The data's own range over all surfaces drawn. */
  dataMin: number;
  dataMax: number;
}

/**
 * The scale a view draws with: manual min and max win; otherwise the data's minimum and, for a
 * capped view (the default for loss), the automatic cap, else the data's maximum.
 */
export function chooseScale(kind: ScaleKind, stats: readonly (ValueStats | null)[], options: { min: number | null; max: number | null; capped: boolean }): ScaleChoice {
  const known = stats.filter((s): s is ValueStats => s !== null);
  const dataMin = known.length ? Math.min(...known.map((s) => s.min)) : 0;
  const dataMax = known.length ? Math.max(...known.map((s) => s.max)) : 1;
  const cap = options.max === null && options.capped ? autoCap(known) : null;
  const max = options.max ?? cap ?? dataMax;
  return { scale: makeScale(kind, options.min ?? dataMin, max), cap, dataMin, dataMax };
}

/**
 * Round ticks of a log axis: powers of ten, else 1, 2 and 5 times them, else every digit times
 * them, whichever first gives 3 to 8 ticks in [min, max]; a range narrower than that (1.32 to 1.93)
 * gets the round linear ticks of its own span, placed on the log scale.
 */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.max(LOG_FLOOR, min);
  const hi = Math.max(LOG_FLOOR, max);
  if (!(hi > lo)) return [lo];
  const first = Math.floor(Math.log10(lo));
  const last = Math.ceil(Math.log10(hi));
  for (const mantissas of [[1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    const ticks: number[] = [];
    for (let e = first; e <= last; e++) {
      for (const m of mantissas) {
        const v = Number((m * 10 ** e).toPrecision(12));
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push(v);
      }
    }
    if (ticks.length >= 3 && ticks.length <= 8) return ticks;
    if (ticks.length > 8) return ticks.filter((_, k) => k % Math.ceil(ticks.length / 6) === 0);
  }
  return linearTicks(lo, hi);
}

/** Between 4 and 6 round ticks of a scale (steps of 1, 2, 2.5 or 5 times a power of ten, else 1.5, 3, 4, 6 or 8), for axes that read like a figure's; log scales by logTicks. */
export function axisTicks(scale: ValueScale): number[] {
  if (scale.kind === "log") return logTicks(scale.min, scale.max);
  return linearTicks(scale.min, scale.max);
}

function linearTicks(min: number, max: number): number[] {
  if (!(max > min)) return [min];
  const top = 10 ** Math.ceil(Math.log10(max - min));
  // The roundest steps first; 4, 3, 6, 8 and 1.5 only when none of those gives 4 to 6 ticks.
  for (const multipliers of [[5, 2.5, 2, 1], [4, 3, 6, 8, 1.5]]) {
    for (let mag = top; mag >= top / 1000; mag /= 10) {
      for (const m of multipliers) {
        const step = m * mag;
        const first = Math.ceil(min / step - 1e-9);
        const last = Math.floor(max / step + 1e-9);
        const count = last - first + 1;
        if (count >= 4 && count <= 6) return Array.from({ length: count }, (_, k) => Number(((first + k) * step).toPrecision(12)));
      }
    }
  }
  return niceTicks(min, max, 5);
}

/**
 * A formatter for one axis's ticks: as many decimals as the ticks need, so that ticks 3.225, 3.25,
 * 3.275 read as such and not as a rounded "3.23, 3.25, 3.27"; very large or small
 * values in exponent form, as formatValue writes them.
 */
export function tickFormat(ticks: readonly number[]): (v: number) => string {
  const finite = ticks.filter(Number.isFinite);
  const largest = Math.max(0, ...finite.map(Math.abs));
  if (largest >= 1e5 || (largest > 0 && largest < 1e-3)) return formatValue;
  let decimals = 0;
  while (decimals < 8 && finite.some((t) => Math.abs(Number(t.toFixed(decimals)) - t) > 1e-9 * Math.max(1, largest))) decimals++;
  // Trailing zeros go ("0.5", not "0.50"), as formatValue writes round numbers.
  return (v) => (Number.isFinite(v) ? String(Number((Math.abs(v) < 1e-12 ? 0 : v).toFixed(decimals))) : "–");
}

