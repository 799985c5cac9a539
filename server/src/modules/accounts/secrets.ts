/** Random secrets (session ids, API tokens, share tokens) and their at-rest hashes. */
import { createHash, randomBytes } from "node:crypto";

/**
 * A random secret as base64url text.
 * @param bytes entropy in bytes (default 32 = 256 bits; never below 16 = 128 bits).
 */
export function randomSecret(bytes = 32): string {
  return randomBytes(Math.max(16, bytes)).toString("base64url");
}

/** SHA-256 of a secret: what the database stores, so a leaked table reveals no usable secret. */
export function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}
