/**
 * Non-convexity of a computed surface, after Li et al. (2018, section 6), who map |lambda_min /
 * lambda_max| of the Hessian to show where a landscape is convex. Here the Hessian is the
 * surface's own: the 2x2 finite-difference Hessian of the loss grid at every interior point (for
 * 1D surfaces, the second difference). A point counts |lambda_min / lambda_max| when lambda_min < 0
 * (some negative curvature), 0 when the surface is locally convex.
 */

/**
 * Mean over interior points of the measure above, in [0, 1]: 0 for a convex bowl, 1 for a pure
 * saddle everywhere. Null when the grid has no interior (fewer than 3 points on an axis) or no
 * finite values there. `loss` is row-major (j * nx + i); `dx`, `dy` are the grid spacings.
 */
export function nonConvexity(loss: ArrayLike<number>, nx: number, ny: number, dx: number, dy: number): number | null {
  let sum = 0;
  let count = 0;
  const at = (i: number, j: number) => loss[j * nx + i]!;
  if (ny === 1) {
    for (let i = 1; i < nx - 1; i++) {
      const d2 = (at(i - 1, 0) - 2 * at(i, 0) + at(i + 1, 0)) / (dx * dx);
      if (!Number.isFinite(d2)) continue;
      sum += d2 < 0 ? 1 : 0;
      count++;
    }
    return count ? sum / count : null;
  }
  for (let j = 1; j < ny - 1; j++) {
    for (let i = 1; i < nx - 1; i++) {
      const hxx = (at(i - 1, j) - 2 * at(i, j) + at(i + 1, j)) / (dx * dx);
      const hyy = (at(i, j - 1) - 2 * at(i, j) + at(i, j + 1)) / (dy * dy);
      const hxy = (at(i + 1, j + 1) - at(i + 1, j - 1) - at(i - 1, j + 1) + at(i - 1, j - 1)) / (4 * dx * dy);
      if (!Number.isFinite(hxx) || !Number.isFinite(hyy) || !Number.isFinite(hxy)) continue;
      const mean = (hxx + hyy) / 2;
      const radius = Math.sqrt(((hxx - hyy) / 2) ** 2 + hxy * hxy);
      const high = mean + radius;
      const low = mean - radius;
      const largest = Math.max(Math.abs(high), Math.abs(low));
      sum += low < 0 && largest > 0 ? Math.min(1, Math.abs(low) / largest) : 0;
      count++;
    }
  }
  return count ? sum / count : null;
}
