/** Shared test helpers: start a backend once per test file, compare arrays relatively. */
import { expect } from "vitest";
import { type BackendName, initBackend } from "../backend.js";

/** Starts wasm (the default on these machines) or the named backend. */
export async function useBackend(name: BackendName = "wasm"): Promise<void> {
  await initBackend(name);
}

/** Max over i of |a_i - b_i| / max(|b_i|, floor). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor));
  return worst;
}
