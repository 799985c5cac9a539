/**
 * How a surface's values are stored: float32 little-endian bytes (tiles' columns, values files),
 * and the axis coordinates its grid is evaluated at. Shared by the workers that write them and the
 * API that reads them; no TF.js.
 */
export { axisValues } from "../engine/pure.js";

/** float32 little-endian bytes as an array (copied: a Buffer may not be 4-byte aligned). */
export function floatsOf(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
