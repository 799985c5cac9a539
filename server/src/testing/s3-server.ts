/**
 * An S3-compatible server for tests of the S3 driver and of the many-machine topology (s3rver on
 * 127.0.0.1, files under a temporary folder). s3rver accepts any signature, so it is never part of
 * a running service: one machine stores files itself (storage/file-store.ts), many machines use a
 * real S3 or MinIO, which check signatures.
 */
import fs from "node:fs/promises";
import type { Server } from "node:http";
import path from "node:path";
import { StartupError, describeError } from "../errors.js";
import { freePort } from "../platform/processes.js";
import { assertPortFree } from "../platform/ports.js";

/** Keys of the test store; it ignores them, but the S3 client needs some. */
export const TEST_S3_KEYS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export interface TestS3Handle {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts the store on `<dataDir>/objects`.
 * @param port 127.0.0.1 port; 0 picks a free one.
 */
export async function startTestS3(dataDir: string, port: number): Promise<TestS3Handle> {
  const directory = path.join(dataDir, "objects");
  await fs.mkdir(directory, { recursive: true });
  const actualPort = port || (await freePort());
  if (port) await assertPortFree(port, "127.0.0.1", "the test S3 port");
  const { default: S3rver } = await import("s3rver");
  const store = new S3rver({ address: "127.0.0.1", port: actualPort, directory, silent: true });
  let server: Server;
  try {
    await store.run();
    server = (store as unknown as { httpServer: Server }).httpServer;
  } catch (error) {
    throw new StartupError(`Could not start the test S3 server on 127.0.0.1:${actualPort}: ${describeError(error)}`);
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
