/**
 * The embedded S3-compatible object store of one-machine mode (s3rver, files under the data
 * folder), on 127.0.0.1. The rest of the service talks to it through the real S3 client like to
 * any other S3 endpoint. s3rver accepts any signature, so it must never face the network directly:
 * browsers reach it only through the API's `/storage` route.
 */
import fs from "node:fs/promises";
import type { Server } from "node:http";
import path from "node:path";
import { StartupError, describeError } from "../errors.js";
import { freePort } from "./processes.js";
import { assertPortFree } from "./ports.js";

/** Fixed keys of the embedded store; it ignores them, but the S3 client needs some. */
export const EMBEDDED_S3_KEYS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export interface EmbeddedS3Handle {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts the store on `<dataDir>/objects`.
 * @param port 127.0.0.1 port; 0 picks a free one.
 */
export async function startEmbeddedS3(dataDir: string, port: number): Promise<EmbeddedS3Handle> {
  const directory = path.join(dataDir, "objects");
  await fs.mkdir(directory, { recursive: true });
  const actualPort = port || (await freePort());
  if (port) await assertPortFree(port, "127.0.0.1", "EMBEDDED_S3_PORT");
  const { default: S3rver } = await import("s3rver");
  const store = new S3rver({ address: "127.0.0.1", port: actualPort, directory, silent: true });
  let server: Server;
  try {
    await store.run();
    server = (store as unknown as { httpServer: Server }).httpServer;
  } catch (error) {
    throw new StartupError(`Could not start the embedded object store on 127.0.0.1:${actualPort}: ${describeError(error)}`);
  }
  return {
    endpoint: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    stop: async () => {
      // The S3 client keeps sockets alive; close them or close() waits for their idle timeout.
      server.closeAllConnections();
      await store.close();
    },
  };
}
