/**
 * Iso-lines of a grid by marching squares. The grid is row-major (`values[j * nx + i]` at column
 * i, row j); segments come back in grid index coordinates (i, j as floats), so callers map them
 * to whatever world they draw in. Cells touching a missing (NaN) value are skipped.
 */

export interface ContourLevel {
  level: number;
  /** Flat [i0, j0, i1, j1, ...]: one segment per 4 numbers. */
  segments: Float32Array;
}

export function contourLevels(values: ArrayLike<number>, nx: number, ny: number, levels: readonly number[]): ContourLevel[] {
  return levels.map((level) => ({ level, segments: isoSegments(values, nx, ny, level) }));
}

export function isoSegments(values: ArrayLike<number>, nx: number, ny: number, level: number): Float32Array {
  const out: number[] = [];
  // Where the iso-line crosses the edge from corner a (value va) to corner b.
  const cross = (va: number, vb: number) => {
    const d = vb - va;
    return d === 0 ? 0.5 : (level - va) / d;
  };
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const v00 = values[j * nx + i]!;
      const v10 = values[j * nx + i + 1]!;
      const v11 = values[(j + 1) * nx + i + 1]!;
      const v01 = values[(j + 1) * nx + i]!;
      if (!(Number.isFinite(v00) && Number.isFinite(v10) && Number.isFinite(v11) && Number.isFinite(v01))) continue;
      const code = (v00 >= level ? 1 : 0) | (v10 >= level ? 2 : 0) | (v11 >= level ? 4 : 0) | (v01 >= level ? 8 : 0);
      if (code === 0 || code === 15) continue;
      // Edge points: bottom (00-10), right (10-11), top (01-11), left (00-01).
      const bottom = [i + cross(v00, v10), j];
      const right = [i + 1, j + cross(v10, v11)];
      const top = [i + cross(v01, v11), j + 1];
      const left = [i, j + cross(v00, v01)];
      const seg = (p: number[], q: number[]) => out.push(p[0]!, p[1]!, q[0]!, q[1]!);
      switch (code) {
        case 1: case 14: seg(left, bottom); break;
        case 2: case 13: seg(bottom, right); break;
        case 3: case 12: seg(left, right); break;
        case 4: case 11: seg(right, top); break;
        case 6: case 9: seg(bottom, top); break;
        case 7: case 8: seg(left, top); break;
        case 5: case 10: {
          // Saddle cell: resolve by the centre value, so lines do not cross.
          const centre = (v00 + v10 + v11 + v01) / 4;
          const centreHigh = centre >= level;
          if ((code === 5) === centreHigh) { seg(left, top); seg(bottom, right); } else { seg(left, bottom); seg(right, top); }
          break;
        }
      }
    }
  }
  return Float32Array.from(out);
}

/** `count` evenly spaced levels strictly inside (min, max). */
export function evenLevels(min: number, max: number, count: number): number[] {
  if (!(max > min) || count < 1) return [];
  return Array.from({ length: count }, (_, k) => min + ((max - min) * (k + 1)) / (count + 1));
}
