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
