/** float32 bytes as tiles and values files keep them, little-endian. */

/** float32 little-endian bytes as an array (copied: a Buffer may not be 4-byte aligned). */
export function floatsOf(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

/** Values as float32 bytes (rounded to float32). */
export function float32Bytes(values: Float64Array): Buffer {
  return Buffer.from(Float32Array.from(values).buffer);
}
