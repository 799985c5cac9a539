import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestPlatform, startTestPlatform } from "../testing/platform.js";
import { ObjectStore } from "./object-store.js";

describe("ObjectStore over the S3 protocol", () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(async () => platform?.stop());

  it("round-trips bytes and reports missing keys as undefined", async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await platform.store.put("a/b.bin", bytes);
    expect(Array.from((await platform.store.get("a/b.bin"))!)).toEqual([0, 1, 2, 250, 255]);
    await platform.store.delete("a/b.bin");
    expect(await platform.store.get("a/b.bin")).toBeUndefined();
  });

  it("creates a missing bucket once and accepts an existing one", async () => {
    const other = new ObjectStore({ ...platform.store.options, bucket: "second-bucket" });
    await other.ensureBucket();
    await other.ensureBucket();
    await other.put("k", "v", "text/plain");
    expect(new TextDecoder().decode(await other.get("k"))).toBe("v");
    other.destroy();
  });

  it("gives a clear startup error when the store is unreachable", async () => {
    const nowhere = new ObjectStore({ ...platform.store.options, endpoint: "http://127.0.0.1:1" });
    await expect(nowhere.ensureBucket()).rejects.toThrow(/Could not reach object storage at http:\/\/127\.0\.0\.1:1 \(bucket lossatlas-test\)/);
    nowhere.destroy();
  });
});
