/**
 * A small PNG preview of a surface for the gallery: a heatmap of log loss (viridis, low = dark)
 * for planes, a line chart for 1D surfaces. Non-finite values are drawn grey.
 */
import { PNG } from "pngjs";

/** Viridis at 9 stops, linearly interpolated. */
const VIRIDIS = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
] as const;

export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

/** Log scale for loss (it spans orders of magnitude away from a minimum), mapped to [0, 1]. */
function scaler(values: Float32Array): (v: number) => number {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (!Number.isFinite(min)) return () => 0;
  const shift = min <= 0 ? 1e-6 - min : 0;
  const lo = Math.log(min + shift + 1e-12);
  const hi = Math.log(max + shift + 1e-12);
  return (v) => (hi > lo ? (Math.log(v + shift + 1e-12) - lo) / (hi - lo) : 0.5);
}

/**
 * Renders `loss` (ny rows of nx, row 0 at the bottom of the picture) as PNG bytes.
 * @param size edge of the square heatmap in pixels (default 128).
 */
export function renderThumbnail(loss: Float32Array, nx: number, ny: number, size = 128): Buffer {
  const scale = scaler(loss);
  if (ny === 1) return renderLine(loss, nx, scale, size);
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    const j = Math.min(ny - 1, Math.floor(((size - 1 - py) / size) * ny));
    for (let px = 0; px < size; px++) {
      const i = Math.min(nx - 1, Math.floor((px / size) * nx));
      const v = loss[j * nx + i]!;
      const [r, g, b] = Number.isFinite(v) ? viridis(scale(v)) : [128, 128, 128];
      const o = (py * size + px) * 4;
      png.data[o] = r;
      png.data[o + 1] = g;
      png.data[o + 2] = b;
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

function renderLine(loss: Float32Array, nx: number, scale: (v: number) => number, size: number): Buffer {
  const width = size;
  const height = Math.round(size * 0.75);
  const png = new PNG({ width, height });
  for (let o = 0; o < png.data.length; o += 4) {
    png.data[o] = 23;
    png.data[o + 1] = 30;
    png.data[o + 2] = 46;
    png.data[o + 3] = 255;
  }
  const yOf = (v: number) => Math.round((1 - scale(v)) * (height - 9)) + 4;
  let previous: number | null = null;
  for (let px = 0; px < width; px++) {
    const v = loss[Math.min(nx - 1, Math.floor((px / width) * nx))]!;
    if (!Number.isFinite(v)) {
      previous = null;
      continue;
    }
    const y = yOf(v);
    const [from, to] = previous === null ? [y, y] : [Math.min(previous, y), Math.max(previous, y)];
    for (let py = from - 1; py <= to + 1; py++) {
      if (py < 0 || py >= height) continue;
      const o = (py * width + px) * 4;
      png.data[o] = 240;
      png.data[o + 1] = 162;
      png.data[o + 2] = 75;
    }
    previous = y;
  }
  return PNG.sync.write(png);
}
