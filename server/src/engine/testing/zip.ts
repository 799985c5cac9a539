/**
 * Zips written in tests (yazl, a development dependency: nothing in production writes zips, so
 * only tests and test helpers import this file).
 */
import { ZipFile } from "yazl";
import type { LayersArtifacts } from "../model-io.js";
import { modelFiles } from "./builders.js";

export interface ZipEntry {
  name: string;
  bytes: Uint8Array | string;
  /** Unix mode bits, file type included (0o120777 makes a symbolic link). Default a regular 0o100664 file. */
  mode?: number;
}

/**
 * A deflated zip of the entries, in order. yazl refuses to write names that climb out (`..`) or
 * are absolute, which are exactly what safety tests need: such a name is written as a placeholder
 * of the same length and then patched into the local header and the central directory.
 */
export async function zipBytes(entries: readonly ZipEntry[]): Promise<Uint8Array> {
  const zip = new ZipFile();
  const unsafe: [placeholder: string, name: string][] = [];
  for (const [index, entry] of entries.entries()) {
    const bytes = typeof entry.bytes === "string" ? Buffer.from(entry.bytes, "utf8") : Buffer.from(entry.bytes);
    let name = entry.name;
    if (isUnsafe(name)) {
      name = `~${index}~`.padEnd(name.length, "~");
      if (name.length !== entry.name.length) throw new Error(`zipBytes: "${entry.name}" is too short for a placeholder`);
      unsafe.push([name, entry.name]);
    }
    zip.addBuffer(bytes, name, { compress: true, ...(entry.mode === undefined ? {} : { mode: entry.mode }) });
  }
  zip.end();
  const out = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on("error", reject);
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
  });
  for (const [placeholder, name] of unsafe) {
    let patched = 0;
    for (let at = out.indexOf(placeholder); at >= 0; at = out.indexOf(placeholder, at + 1), patched++) out.write(name, at, "utf8");
    if (patched !== 2) throw new Error(`zipBytes: "${placeholder}" was found ${patched} times, not twice`);
  }
  return new Uint8Array(out);
}

function isUnsafe(name: string): boolean {
  return /^([a-zA-Z]:|\/)/.test(name) || name.split("/").includes("..");
}

/** The model as zip bytes (files inside a folder "model/", as people zip them). */
export async function modelZip(artifacts: LayersArtifacts): Promise<Uint8Array> {
  const { modelJson, shards } = modelFiles(artifacts);
  return zipBytes([{ name: "model/model.json", bytes: modelJson }, ...[...shards].map(([name, bytes]) => ({ name: `model/${name}`, bytes }))]);
}
