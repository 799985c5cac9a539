/**
 * What a file really is, from its first bytes, whatever its name says: a PNG named model.json is
 * still a PNG. Used to give a precise error before any parser sees the bytes.
 */
export type Sniffed = "zip" | "npy" | "json" | "png" | "jpeg" | "gif" | "pdf" | "gzip" | "text" | "binary" | "empty";

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((byte, i) => bytes[i] === byte);

export function sniff(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return "empty";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return "zip";
  if (startsWith(bytes, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return "npy"; // \x93NUMPY
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return "png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return "gif";
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return "pdf";
  if (startsWith(bytes, [0x1f, 0x8b])) return "gzip";
  const head = bytes.subarray(0, Math.min(bytes.length, 4096));
  let i = 0;
  // Skip a UTF-8 byte-order mark and leading whitespace.
  if (startsWith(head, [0xef, 0xbb, 0xbf])) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (head[i] === 0x7b || head[i] === 0x5b) return "json";
  // Text: no NUL bytes and mostly printable in the first 4 KiB.
  let printable = 0;
  for (const byte of head) {
    if (byte === 0) return "binary";
    if (byte >= 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) printable++;
  }
  return printable / head.length > 0.95 ? "text" : "binary";
}

/** A human name for a sniffed type, for error messages. */
export function describeSniffed(type: Sniffed): string {
  const names: Record<Sniffed, string> = {
    zip: "a zip archive",
    npy: "a NumPy .npy array",
    json: "JSON",
    png: "a PNG image",
    jpeg: "a JPEG image",
    gif: "a GIF image",
    pdf: "a PDF document",
    gzip: "a gzip file",
    text: "text",
    binary: "binary data",
    empty: "an empty file",
  };
  return names[type];
}
