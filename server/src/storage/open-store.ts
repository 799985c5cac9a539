/** Opening the object store a process is configured with, in every process role. */
import type { Config } from "../config.js";
import { FileObjectStore } from "./file-store.js";
import type { ObjectStore } from "./object-store.js";
import { S3ObjectStore } from "./s3-store.js";
import { loadSigningSecret } from "./signed-urls.js";

/** Where objects live: an S3-compatible store, or the built-in file store of one machine. */
export type StorageLocation = { kind: "s3"; endpoint: string; accessKeyId: string; secretAccessKey: string } | { kind: "files"; dir: string };

/**
 * Opens the object store of this process.
 * @param publicUrl the service's address as users reach it (known only after listening when a
 *   free port was asked for); the file store is public under `<publicUrl>/storage`.
 * @param signing whether this process presigns URLs (the API does; workers never need to).
 */
export async function openObjectStore(
  config: Config,
  location: StorageLocation,
  options: { publicUrl?: () => string; signing?: boolean } = {},
): Promise<ObjectStore> {
  const publicUrl = options.publicUrl ?? (() => config.http.publicUrl);
  if (location.kind === "files") {
    const secret = options.signing ? await loadSigningSecret(location.dir, config.storage.signingSecret) : undefined;
    return new FileObjectStore({ dir: location.dir, secret, publicUrl });
  }
  return new S3ObjectStore({
    endpoint: location.endpoint,
    publicEndpoint: config.storage.publicEndpoint ?? location.endpoint,
    accessKeyId: location.accessKeyId,
    secretAccessKey: location.secretAccessKey,
    bucket: config.storage.bucket,
    region: config.storage.region,
    forcePathStyle: config.storage.forcePathStyle,
  });
}

