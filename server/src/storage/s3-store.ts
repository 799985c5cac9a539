/**
 * Object storage over the S3 protocol (@aws-sdk/client-s3): AWS S3, MinIO or any S3-compatible
 * store. The store itself checks presigned signatures, lengths and headers, so browsers talk to it
 * directly; the server only signs. Keys are always chosen by the server and checked here too.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { StartupError, describeError } from "../errors.js";
import { type DownloadAs, type ObjectStore, assertStorageKey, assertStoragePrefix, safeDownloadName } from "./object-store.js";

export interface S3StoreOptions {
  /** Endpoint the server talks to, e.g. http://127.0.0.1:9000. */
  endpoint: string;
  /**
   * Endpoint browsers reach, used in presigned URLs; default `endpoint`. A function when it is
   * known only once the HTTP server listens (a free port was asked for).
   */
  publicEndpoint?: string | (() => string);
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export class S3ObjectStore implements ObjectStore {
  readonly client: S3Client;
  /** Signs URLs for the endpoint browsers reach; never sends requests itself. Made on first use. */
  private signerClient: S3Client | undefined;
  readonly bucket: string;
  readonly description: string;

  constructor(readonly options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.description = `${options.endpoint}, bucket ${options.bucket}`;
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      maxAttempts: 2,
    });
  }

  private get signer(): S3Client {
    if (!this.signerClient) {
      const { publicEndpoint, endpoint, region, forcePathStyle, accessKeyId, secretAccessKey } = this.options;
      this.signerClient = new S3Client({
        endpoint: typeof publicEndpoint === "function" ? publicEndpoint() : (publicEndpoint ?? endpoint),
        region,
        forcePathStyle,
        credentials: { accessKeyId, secretAccessKey },
      });
    }
    return this.signerClient;
  }

  /**
   * A URL that lets its holder PUT exactly this object, of exactly `size` bytes (stores that check
   * signatures refuse other lengths), for `expiresIn` seconds.
   */
  presignPut(key: string, size: number, contentType: string, expiresIn: number): Promise<string> {
    return getSignedUrl(this.signer, new PutObjectCommand({ Bucket: this.bucket, Key: assertStorageKey(key), ContentLength: size, ContentType: contentType }), {
      expiresIn,
    });
  }

  /**
   * A URL to GET this object for `expiresIn` seconds. The response's type and disposition are part
   * of the signature, so a holder cannot ask the store to serve the object as anything else.
   */
  presignGet(key: string, expiresIn: number, as: DownloadAs): Promise<string> {
    return getSignedUrl(
      this.signer,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: assertStorageKey(key),
        ResponseContentDisposition: `attachment; filename="${safeDownloadName(as.fileName)}"`,
        ResponseContentType: as.contentType,
      }),
      { expiresIn },
    );
  }

  /** Size in bytes of an object, or undefined when it does not exist. */
  async size(key: string): Promise<number | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: assertStorageKey(key) }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Deletes every object whose key starts with `prefix` (a folder of a model, a surface...). */
  async deletePrefix(prefix: string): Promise<number> {
    assertStoragePrefix(prefix);
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      const keys = (page.Contents ?? []).map((item) => item.Key).filter((key): key is string => Boolean(key));
      for (const key of keys) await this.delete(key);
      deleted += keys.length;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return deleted;
  }

  /** Keys under a prefix (at most `limit`, default 1000), for tests and housekeeping. */
  async list(prefix: string, limit = 1000): Promise<string[]> {
    assertStoragePrefix(prefix);
    const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: limit }));
    return (page.Contents ?? []).map((item) => item.Key).filter((key): key is string => Boolean(key));
  }

  async bytesUnder(prefix: string): Promise<number> {
    assertStoragePrefix(prefix);
    let total = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const item of page.Contents ?? []) total += item.Size ?? 0;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return total;
  }

  /** Creates the bucket when it does not exist yet; a clear StartupError when the store is unreachable. */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (error) {
      if (!isNotFound(error)) {
        throw new StartupError(`Could not reach object storage at ${this.options.endpoint} (bucket ${this.bucket}): ${describeS3Error(error)}`);
      }
    }
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      // Another process (a second API starting at the same moment) made it in between: fine when
      // it is ours to use.
      const name = (error as { name?: unknown }).name;
      if ((name === "BucketAlreadyOwnedByYou" || name === "BucketAlreadyExists") && (await this.ping().then(() => true, () => false))) return;
      throw new StartupError(`Could not create bucket ${this.bucket} at ${this.options.endpoint}: ${describeS3Error(error)}`);
    }
  }

  /** One cheap round trip proving the bucket is reachable. */
  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  async put(key: string, body: Uint8Array | string, contentType = "application/octet-stream"): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: assertStorageKey(key), Body: body, ContentType: contentType }));
  }

  /** The object's bytes, or undefined when there is no such key. */
  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: assertStorageKey(key) }));
      return result.Body ? await result.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: assertStorageKey(key) }));
  }

  destroy(): void {
    this.client.destroy();
    this.signerClient?.destroy();
  }
}

function isNotFound(error: unknown): boolean {
  if (error instanceof S3ServiceException) {
    return error.$metadata.httpStatusCode === 404 || error.name === "NotFound" || error.name === "NoSuchKey" || error.name === "NoSuchBucket";
  }
  return false;
}

/** A one-line description of an S3 failure (network errors carry no S3 metadata). */
export function describeS3Error(error: unknown): string {
  if (error instanceof S3ServiceException) {
    return `${error.name} (HTTP ${error.$metadata.httpStatusCode ?? "?"})${error.message && error.message !== "UnknownError" ? `: ${error.message}` : ""}`;
  }
  const code = (error as { code?: string } | undefined)?.code;
  return code ? `${code}: ${describeError(error)}` : describeError(error);
}
