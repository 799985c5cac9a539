/**
 * Object storage over the S3 protocol (@aws-sdk/client-s3), the same code against the embedded
 * store, MinIO or AWS S3. Keys are always chosen by the server.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { StartupError, describeError } from "../errors.js";

export interface ObjectStoreOptions {
  /** Endpoint the server talks to, e.g. http://127.0.0.1:9000. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export class ObjectStore {
  readonly client: S3Client;
  readonly bucket: string;

  constructor(readonly options: ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      maxAttempts: 2,
    });
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
      throw new StartupError(`Could not create bucket ${this.bucket} at ${this.options.endpoint}: ${describeS3Error(error)}`);
    }
  }

  /** One cheap round trip proving the bucket is reachable. */
  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  async put(key: string, body: Uint8Array | string, contentType = "application/octet-stream"): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  /** The object's bytes, or undefined when there is no such key. */
  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return result.Body ? await result.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  destroy(): void {
    this.client.destroy();
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
