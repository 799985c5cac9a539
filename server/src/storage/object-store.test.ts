import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_S3_KEYS, type TestS3Handle, startTestS3 } from "../testing/s3-server.js";
import { FileObjectStore, LengthMismatchError, ObjectExistsError } from "./file-store.js";
import { type ObjectStore, UnsafeKeyError, isSafeStorageKey } from "./object-store.js";
import { S3ObjectStore } from "./s3-store.js";
import { loadSigningSecret, signGrant, verifyGrant } from "./signed-urls.js";

const UNSAFE_KEYS = [
  "",
  "/etc/passwd",
  "../outside",
  "a/../../outside",
  "a/./b",
  "a//b",
  "a/b/",
  ".signing-secret",
  ".tmp/x",
  "a/%2e%2e/b",
  "a%2Fb",
  "a\\b",
  "a/b\0c",
  "C:/windows",
  "a b",
  "a/\u00e9",
  `${"a/".repeat(300)}b`,
];

describe("storage keys", () => {
  it("accepts only keys the server could issue", () => {
    for (const key of UNSAFE_KEYS) expect(isSafeStorageKey(key), JSON.stringify(key)).toBe(false);
    for (const key of ["uploads/1f/part-0001", "projects/a-b/models/c/model.json", "x.npy"]) expect(isSafeStorageKey(key)).toBe(true);
  });
});

describe("signed URLs of the file store", () => {
  const secret = Buffer.alloc(32, 7);
  const grant = { op: "put" as const, key: "uploads/u/part-0001", expires: 2_000_000_000, length: 5, contentType: "application/octet-stream", fileName: "" };

  it("verify exactly what was signed, and nothing else", () => {
    const query = new URLSearchParams(signGrant(secret, grant));
    expect(verifyGrant(secret, grant.key, query, 1_000)).toMatchObject({ ok: true, grant });
    // Another key, length, type or operation; a changed signature; an added or repeated parameter.
    expect(verifyGrant(secret, "uploads/u/part-0002", query, 1_000).ok).toBe(false);
    for (const [name, value] of [
      ["len", "6"],
      ["type", "text/html"],
      ["op", "get"],
      ["exp", "2000000001"],
      ["sig", "0".repeat(64)],
    ]) {
      const tampered = new URLSearchParams(query);
      tampered.set(name!, value!);
      expect(verifyGrant(secret, grant.key, tampered, 1_000).ok, name).toBe(false);
    }
    const extra = new URLSearchParams(query);
    extra.append("response-content-type", "text/html");
    expect(verifyGrant(secret, grant.key, extra, 1_000)).toMatchObject({ ok: false, status: 400 });
    const repeated = new URLSearchParams(query);
    repeated.append("len", "5");
    expect(verifyGrant(secret, grant.key, repeated, 1_000)).toMatchObject({ ok: false, status: 400 });
    // Expired; another installation's secret.
    expect(verifyGrant(secret, grant.key, query, 2_000_000_001).ok).toBe(false);
    expect(verifyGrant(Buffer.alloc(32, 8), grant.key, query, 1_000).ok).toBe(false);
  });

  it("keeps one random secret per installation, readable only by its owner", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-secret-"));
    const first = await loadSigningSecret(dir);
    const again = await loadSigningSecret(dir);
    expect(first.equals(again)).toBe(true);
    expect(first.length).toBe(32);
    expect((await fs.stat(path.join(dir, ".signing-secret"))).mode & 0o777).toBe(0o600);
    const other = await loadSigningSecret(await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-secret-")));
    expect(other.equals(first)).toBe(false);
    await fs.rm(dir, { recursive: true, force: true });
  });
});

/** The same contract for both drivers. */
function contract(name: string, open: () => Promise<{ store: ObjectStore; stop(): Promise<void> }>) {
  describe(`${name}: the ObjectStore contract`, () => {
    let store: ObjectStore;
    let stop: () => Promise<void>;
    beforeAll(async () => {
      ({ store, stop } = await open());
      await store.ensureBucket();
    });
    afterAll(async () => stop?.());

    it("round-trips bytes and reports missing keys as undefined", async () => {
      await store.put("a/b.bin", new Uint8Array([0, 1, 2, 250, 255]));
      expect(Array.from((await store.get("a/b.bin"))!)).toEqual([0, 1, 2, 250, 255]);
      expect(await store.size("a/b.bin")).toBe(5);
      await store.delete("a/b.bin");
      expect(await store.get("a/b.bin")).toBeUndefined();
      expect(await store.size("a/b.bin")).toBeUndefined();
    });

    it("lists, measures and deletes by prefix", async () => {
      await store.put("p/one/x.bin", "12345");
      await store.put("p/one/y/z.bin", "123");
      await store.put("p/two/x.bin", "1");
      await store.put("p/onex.bin", "1");
      expect(await store.list("p/one/")).toEqual(["p/one/x.bin", "p/one/y/z.bin"]);
      expect(await store.bytesUnder("p/one/")).toBe(8);
      expect(await store.deletePrefix("p/one/")).toBe(2);
      expect(await store.list("p/")).toEqual(["p/onex.bin", "p/two/x.bin"]);
      await store.deletePrefix("p/");
      expect(await store.list("p/")).toEqual([]);
    });

    it("refuses unsafe keys before touching anything", async () => {
      for (const key of UNSAFE_KEYS) {
        await expect(store.put(key, "x"), JSON.stringify(key)).rejects.toBeInstanceOf(UnsafeKeyError);
        await expect(store.get(key)).rejects.toBeInstanceOf(UnsafeKeyError);
      }
      await expect(store.deletePrefix("../")).rejects.toBeInstanceOf(UnsafeKeyError);
    });
  });
}

contract("file store", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-files-"));
  return { store: new FileObjectStore({ dir: path.join(dir, "store") }), stop: () => fs.rm(dir, { recursive: true, force: true }) };
});

let s3: TestS3Handle;
contract("S3 driver", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-s3-"));
  s3 = await startTestS3(dir, 0);
  const store = new S3ObjectStore({ endpoint: s3.endpoint, bucket: "contract", region: "us-east-1", forcePathStyle: true, ...TEST_S3_KEYS });
  return {
    store,
    stop: async () => {
      store.destroy();
      await s3.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
});

describe("file store specifics", () => {
  it("writes whole or not at all, and keeps its folder private", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-files-"));
    const store = new FileObjectStore({ dir: path.join(dir, "store") });
    await store.ensureBucket();
    expect((await fs.stat(store.dir)).mode & 0o777).toBe(0o700);
    await store.put("k/a.bin", "old");
    // A stream longer or shorter than signed leaves the object as it was.
    await expect(store.putStream("k/a.bin", Readable.from([Buffer.from("123456")]), 5)).rejects.toBeInstanceOf(LengthMismatchError);
    await expect(store.putStream("k/a.bin", Readable.from([Buffer.from("123")]), 5)).rejects.toBeInstanceOf(LengthMismatchError);
    expect(new TextDecoder().decode(await store.get("k/a.bin"))).toBe("old");
    await store.putStream("k/a.bin", Readable.from([Buffer.from("12"), Buffer.from("345")]), 5);
    expect(new TextDecoder().decode(await store.get("k/a.bin"))).toBe("12345");
    expect(await fs.readdir(path.join(store.dir, ".tmp"))).toEqual([]);
    expect((await fs.stat(path.join(store.dir, "k", "a.bin"))).mode & 0o777).toBe(0o600);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("writes an exclusive object once: of two racing writers exactly one lands, and a later one is refused", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-files-"));
    const store = new FileObjectStore({ dir: path.join(dir, "store") });
    await store.ensureBucket();
    const write = (text: string) => store.putStream("uploads/u/part-0001", Readable.from([Buffer.from(text)]), 5, { exclusive: true });
    const raced = await Promise.allSettled([write("aaaaa"), write("bbbbb")]);
    expect(raced.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = raced.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(ObjectExistsError);
    const kept = new TextDecoder().decode(await store.get("uploads/u/part-0001"));
    expect(["aaaaa", "bbbbb"]).toContain(kept);
    await expect(write("ccccc")).rejects.toBeInstanceOf(ObjectExistsError);
    expect(new TextDecoder().decode(await store.get("uploads/u/part-0001"))).toBe(kept);
    expect(await fs.readdir(path.join(store.dir, ".tmp"))).toEqual([]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("gives a clear startup error when its folder cannot be made", async () => {
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-files-")), "a-file");
    await fs.writeFile(file, "x");
    await expect(new FileObjectStore({ dir: path.join(file, "store") }).ensureBucket()).rejects.toThrow(/Could not use the object store folder/);
  });

  it("cannot presign without a secret", async () => {
    const store = new FileObjectStore({ dir: os.tmpdir() });
    await expect(store.presignPut("uploads/x/part-0001", 1, "application/octet-stream", 60)).rejects.toThrow(/signing secret/);
  });
});

describe("S3 driver specifics", () => {
  it("lets several processes make the same new bucket at the same moment", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-s3-race-"));
    const server = await startTestS3(dir, 0);
    const stores = Array.from({ length: 4 }, () => new S3ObjectStore({ endpoint: server.endpoint, bucket: "raced", region: "us-east-1", forcePathStyle: true, ...TEST_S3_KEYS }));
    try {
      // Each checks that the bucket is missing before any creates it, as two APIs starting together do.
      await Promise.all(stores.map((store) => store.ensureBucket()));
      await stores[0]!.put("k/x.bin", "ok");
      expect(new TextDecoder().decode(await stores[3]!.get("k/x.bin"))).toBe("ok");
    } finally {
      for (const store of stores) store.destroy();
      await server.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("gives a clear startup error when the store is unreachable", async () => {
    const nowhere = new S3ObjectStore({ endpoint: "http://127.0.0.1:1", bucket: "lossatlas-test", region: "us-east-1", forcePathStyle: true, ...TEST_S3_KEYS });
    await expect(nowhere.ensureBucket()).rejects.toThrow(/Could not reach object storage at http:\/\/127\.0\.0\.1:1 \(bucket lossatlas-test\)/);
    nowhere.destroy();
  });

  it("signs downloads as attachments of the given type", async () => {
    const store = new S3ObjectStore({ endpoint: "http://127.0.0.1:9", bucket: "b", region: "us-east-1", forcePathStyle: true, ...TEST_S3_KEYS });
    const url = new URL(await store.presignGet("projects/p/x.bin", 60, { fileName: "my <file>.bin", contentType: "application/octet-stream" }));
    expect(url.searchParams.get("response-content-disposition")).toBe('attachment; filename="my__file_.bin"');
    expect(url.searchParams.get("response-content-type")).toBe("application/octet-stream");
    store.destroy();
  });
});
