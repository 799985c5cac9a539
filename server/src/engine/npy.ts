/**
 * NumPy's .npy format (versions 1-3, little-endian, C order): enough to read the arrays people
 * save with np.save, converted to float64-exact JS numbers in a Float32Array or Float64Array.
 */
import { EngineInputError } from "./errors.js";

export interface NpyArray {
  readonly shape: readonly number[];
  readonly dtype: string;
  /** Values in C order, converted to float64 (exact for every supported dtype but 64-bit ints above 2^53). */
  readonly data: Float64Array;
}

type Reader = (view: DataView, offset: number) => number;
const READERS: Record<string, [number, Reader]> = {
  f4: [4, (v, o) => v.getFloat32(o, true)],
  f8: [8, (v, o) => v.getFloat64(o, true)],
  u1: [1, (v, o) => v.getUint8(o)],
  i1: [1, (v, o) => v.getInt8(o)],
  b1: [1, (v, o) => v.getUint8(o)],
  u2: [2, (v, o) => v.getUint16(o, true)],
  i2: [2, (v, o) => v.getInt16(o, true)],
  u4: [4, (v, o) => v.getUint32(o, true)],
  i4: [4, (v, o) => v.getInt32(o, true)],
  i8: [8, (v, o) => Number(v.getBigInt64(o, true))],
  u8: [8, (v, o) => Number(v.getBigUint64(o, true))],
};

/** Parses .npy bytes; `label` names the file in errors. */
export function parseNpy(bytes: Uint8Array, label: string): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new EngineInputError(`${label} is not a .npy file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder("latin1").decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new EngineInputError(`${label} has a malformed .npy header`);
  if (fortran === "True") throw new EngineInputError(`${label} is stored in Fortran order; save it with np.ascontiguousarray first`);
  const order = descr[0];
  const kind = descr.slice(1);
  const reader = READERS[kind];
  if (reader === undefined || order === ">") {
    throw new EngineInputError(`${label} has dtype "${descr}"; supported: little-endian float32/float64, (u)int8-64, bool`);
  }
  const shape = shapeText.split(",").map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new EngineInputError(`${label} has a malformed shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const [size, read] = reader;
  const start = headerStart + headerLength;
  if (bytes.length - start !== count * size) {
    throw new EngineInputError(`${label} holds ${bytes.length - start} data bytes but its header describes ${count * size}`);
  }
  const data = new Float64Array(count);
  if (kind === "f8" && (start + bytes.byteOffset) % 8 === 0) {
    data.set(new Float64Array(bytes.buffer, bytes.byteOffset + start, count));
  } else if (kind === "f4" && (start + bytes.byteOffset) % 4 === 0) {
    data.set(new Float32Array(bytes.buffer, bytes.byteOffset + start, count));
  } else {
    for (let i = 0; i < count; i++) data[i] = read(view, start + i * size);
  }
  return { shape, dtype: descr, data };
}

/** Encodes a float32 or float64 array as .npy bytes (version 1), for tests and fixtures. */
export function encodeNpy(data: Float32Array | Float64Array | Uint8Array | Int32Array, shape: readonly number[]): Uint8Array {
  const descr = data instanceof Float32Array ? "<f4" : data instanceof Float64Array ? "<f8" : data instanceof Uint8Array ? "|u1" : "<i4";
  const shapeText = shape.length === 1 ? `${shape[0]},` : shape.join(", ");
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shapeText}), }`;
  // The header is padded with spaces so the data starts on a 64-byte boundary, ending in "\n".
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, " ") + "\n";
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}
