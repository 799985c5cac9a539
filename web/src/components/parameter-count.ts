/**
 * A model's size in the words a paper uses: trainable parameters first, frozen weights and
 * buffers (BatchNorm's running statistics) apart, so a PyTorch model with 483 trainable
 * parameters reads "483 trainable parameters · 16 buffers", as `sum(p.numel() for p in
 * model.parameters())` counts it, and not "499 parameters".
 */
export interface ParameterCounts {
  parameterCount: number;
  trainableCount: number | null;
  bufferCount: number | null;
}

/** A count with an SI prefix ("5.7 k", "1.2 G"), for FLOPs and evaluations. */
export function formatCount(n: number): string {
  if (n >= 1e12) return `${(n / 1e12).toFixed(1)} T`;
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

/**
 * A forward pass's cost per sample, as the engine counts it (a convolution's weights at every
 * output position); null for a model stored before it was counted.
 */
export function forwardFlopsWords(m: { flopsPerSample?: number | null }): string | null {
  return m.flopsPerSample == null ? null : `${formatCount(m.flopsPerSample)}FLOP per sample forward`;
}

/** @param compact leave out what buffers are (for a model's name in a list of choices). */
export function parameterWords(m: ParameterCounts, compact = false): string {
  const n = (v: number, one: string, many: string) => `${v.toLocaleString("en-US")} ${v === 1 ? one : many}`;
  // Models stored before the split was counted have the total alone.
  if (m.trainableCount == null || m.bufferCount == null) return n(m.parameterCount, "parameter", "parameters");
  const frozen = m.parameterCount - m.trainableCount - m.bufferCount;
  return [
    n(m.trainableCount, "trainable parameter", "trainable parameters"),
    frozen > 0 ? n(frozen, "frozen", "frozen") : null,
    m.bufferCount > 0 ? n(m.bufferCount, "buffer", "buffers") + (compact ? "" : " (BatchNorm running statistics)") : null,
  ].filter(Boolean).join(" · ");
}
