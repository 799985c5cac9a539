/**
 * A figure's SVG as the file a researcher asked for: the SVG itself, a PNG rasterized at the size
 * and DPI (with the DPI recorded in the file, so a word processor places it at its size in inches),
 * or a vector PDF of one page the figure's size (jsPDF and svg2pdf.js, loaded only when a PDF is
 * made). All three are the same picture: every label, point, path and note is in each.
 */
import { type FigureFormat, type FigureSize, sizeInPixels, sizeInPoints } from "./theme";

export const MIME: Record<FigureFormat, string> = { png: "image/png", svg: "image/svg+xml", pdf: "application/pdf" };

export async function figureFile(svg: string, format: FigureFormat, size: FigureSize): Promise<Blob> {
  if (format === "svg") return new Blob([svg], { type: MIME.svg });
  if (format === "png") return svgToPng(svg, size);
  return svgToPdf(svg, size);
}

/** Draws the SVG at the raster's pixel size (browsers rasterize an SVG image at the size drawn). */
export async function svgToPng(svg: string, size: FigureSize): Promise<Blob> {
  const { w, h } = sizeInPixels(size);
  const url = URL.createObjectURL(new Blob([svg], { type: MIME.svg }));
  try {
    const image = new Image(w, h);
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    canvas.getContext("2d")!.drawImage(image, 0, 0, w, h);
    const png = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("The browser could not make the PNG"))), MIME.png));
    return new Blob([withDpi(new Uint8Array(await png.arrayBuffer()), size.dpi)], { type: MIME.png });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * One PDF page of the figure's size in points, every shape and text as vector. The PDF's standard
 * Helvetica has no minus sign (U+2212): it is written as an en dash, which it has.
 */
export async function svgToPdf(svg: string, size: FigureSize): Promise<Blob> {
  const [{ jsPDF }, { svg2pdf }] = await Promise.all([import("jspdf"), import("svg2pdf.js")]);
  const { w, h } = sizeInPoints(size);
  const doc = new jsPDF({ unit: "pt", format: [w, h], orientation: w > h ? "landscape" : "portrait", compress: true });
  const element = new DOMParser().parseFromString(svg.replace(/\u2212/g, "\u2013"), "image/svg+xml").documentElement;
  await svg2pdf(element, doc, { x: 0, y: 0, width: w, height: h });
  return doc.output("blob");
}

/** The PNG with a pHYs chunk (pixels per metre) after its header, saying its DPI. */
export function withDpi(png: Uint8Array, dpi: number): Uint8Array<ArrayBuffer> {
  const IHDR_END = 8 + 25; // signature, then IHDR: length, type, 13 bytes, CRC
  const perMetre = Math.round(dpi / 0.0254);
  const chunk = new Uint8Array(21);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, 9);
  chunk.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
  view.setUint32(8, perMetre);
  view.setUint32(12, perMetre);
  chunk[16] = 1; // unit: the metre
  view.setUint32(17, crc32(chunk.subarray(4, 17)));
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, IHDR_END));
  out.set(chunk, IHDR_END);
  out.set(png.subarray(IHDR_END), IHDR_END + chunk.length);
  return out;
}

let table: Uint32Array | null = null;
/** CRC-32 as PNG chunks use it (ISO 3309). */
export function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = table[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
