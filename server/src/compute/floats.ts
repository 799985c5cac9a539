/** Values as float32 bytes (rounded to float32), little-endian, as tiles and values files keep them. */
export function float32Bytes(values: Float64Array): Buffer {
  return Buffer.from(Float32Array.from(values).buffer);
}
