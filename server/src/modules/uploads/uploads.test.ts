/**
 * Uploads end to end over HTTP and presigned URLs against the real object store: valid models and
 * datasets are validated and summarised; a corpus of malformed uploads is each refused with its
 * stable code, and leaves nothing behind in storage.
 */
import "reflect-metadata";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNpy } from "../../engine/npy.js";
import { buildMlp } from "../../engine/testing/builders.js";
import { converterFiles } from "../../engine/testing/formats.js";
import { TestClient, type TestApi, startTestApi } from "../../testing/api.js";
import { type UploadFile, mlpFiles, npyPair, text, upload } from "../../testing/uploads.js";

const MAX_FILE = 2 * 1024 * 1024;

describe("uploads", () => {
  let api: TestApi;
  let client: TestClient;
  let projectId: string;
  let model: Awaited<ReturnType<typeof mlpFiles>>;

  const modelUpload = (files: UploadFile[]) => upload(client, { projectId, kind: "MODEL", name: "mlp" }, files);
  const datasetUpload = (files: UploadFile[], label?: string) => upload(client, { projectId, kind: "DATASET", name: "data", label }, files);
  const looseModel = (json: string | Uint8Array = model.modelJson, shard: Uint8Array = model.shards.get("group1-shard1of1.bin")!): UploadFile[] => [
    { name: "model.json", bytes: typeof json === "string" ? text(json) : json },
    { name: "group1-shard1of1.bin", bytes: shard },
  ];
  const zipOf = async (entries: Record<string, Uint8Array | string>, options: (zip: JSZip) => void = () => undefined) => {
    const zip = new JSZip();
    for (const [name, bytes] of Object.entries(entries)) zip.file(name, bytes);
    options(zip);
    return zip.generateAsync({ type: "uint8array", compression: "DEFLATE", platform: "UNIX" });
  };
  const patchedJson = (patch: (json: any) => void) => {
    const json = JSON.parse(model.modelJson);
    patch(json);
    return JSON.stringify(json);
  };

  beforeAll(async () => {
    api = await startTestApi({ UPLOAD_MAX_FILE_BYTES: String(MAX_FILE), UPLOAD_QUOTA_BYTES: String(40 * 1024 * 1024) });
    client = new TestClient(api.url);
    await client.signUp("uploader@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "uploads" }) { project { id } } }`)).createProject.project.id;
    model = await mlpFiles();
  });
  afterAll(async () => api?.stop());

  it("stores a model uploaded as model.json + shard through presigned URLs, with its summary", async () => {
    const result = await modelUpload(looseModel());
    expect(result.outcome, JSON.stringify(result.completed?.error)).toBe("ok");
    expect(result.completed!.model).toMatchObject({
      name: "mlp",
      parameterCount: 4 * 8 + 8 + 8 * 3 + 3,
      inputShape: [4],
      outputShape: [3],
      loss: "sparse_categorical_crossentropy",
    });
    expect(result.completed!.model!.layers.map((l: { className: string }) => l.className)).toEqual(["Dense", "Dense"]);
    const id = result.completed!.model!.id;
    const keys = await api.platform.store.list(`projects/${projectId}/models/${id}/`);
    expect(keys.sort()).toEqual([`projects/${projectId}/models/${id}/group1-shard1of1.bin`, `projects/${projectId}/models/${id}/model.json`]);
    expect(await api.platform.store.list("uploads/")).toEqual([]);
  });

  it("stores a Keras 3 model from TensorFlow's converter, quantized to uint8 and sharded, its summary saying so", async () => {
    const files = await converterFiles(buildMlp([4, 8, 3], 2), { keras: 3, quantize: "uint8", shardBytes: 16 });
    const uploaded: UploadFile[] = [{ name: "model.json", bytes: text(files.modelJson as string) }, ...[...(files.shards as Map<string, Uint8Array>)].map(([name, bytes]) => ({ name, bytes }))];
    expect(uploaded.length).toBeGreaterThan(3);
    const result = await modelUpload(uploaded);
    expect(result.outcome, JSON.stringify(result.completed?.error)).toBe("ok");
    expect(result.completed!.model).toMatchObject({ parameterCount: 4 * 8 + 8 + 8 * 3 + 3, inputShape: [4], outputShape: [3], loss: "sparse_categorical_crossentropy" });
    expect(result.completed!.model!.notes).toEqual([
      "4 weight tensors are quantized to uint8 and dequantized at load (value = q * scale + min); the surface is that of the dequantized model",
    ]);
  });

  it("stores a model uploaded as one zip, and its checkpoints in step order", async () => {
    const zipped = await modelUpload([{ name: "model.zip", bytes: model.zip }]);
    if (zipped.outcome !== "ok") throw new Error(JSON.stringify(zipped.completed?.error));
    const modelId = zipped.completed!.model!.id;
    for (const step of [200, 0, 100]) {
      const checkpoint = await mlpFiles([4, 8, 3], step + 7);
      const result = await upload(client, { projectId, kind: "CHECKPOINT", modelId, step }, [
        { name: "model.json", bytes: text(checkpoint.modelJson) },
        { name: "group1-shard1of1.bin", bytes: checkpoint.shards.get("group1-shard1of1.bin")! },
      ]);
      expect(result.outcome).toBe("ok");
    }
    const listed = await client.data(`query ($id: ID!) { model(id: $id) { checkpoints(first: 10) { nodes { step } } } }`, { id: modelId });
    expect(listed.model.checkpoints.nodes.map((n: { step: number }) => n.step)).toEqual([0, 100, 200]);

    const wrongShape = await mlpFiles([4, 5, 3]);
    const mismatch = await upload(client, { projectId, kind: "CHECKPOINT", modelId, step: 300 }, [
      { name: "model.json", bytes: text(wrongShape.modelJson) },
      { name: "group1-shard1of1.bin", bytes: wrongShape.shards.get("group1-shard1of1.bin")! },
    ]);
    expect(mismatch.outcome).toBe("INVALID_MODEL");
    const duplicate = await upload(client, { projectId, kind: "CHECKPOINT", modelId, step: 100 }, looseModel());
    expect(duplicate.requested.error).toMatchObject({ code: "BAD_USER_INPUT", field: "step" });
  });

  it("stores datasets: an NPY pair and a CSV with a chosen label column", async () => {
    const pair = npyPair(30, 4, 3);
    const npy = await datasetUpload([
      { name: "x.npy", bytes: pair.x },
      { name: "y.npy", bytes: pair.y },
    ]);
    expect(npy.outcome).toBe("ok");
    expect(npy.completed!.dataset).toMatchObject({ format: "npy", rows: 30, inputShape: [4], targetShape: [], classes: 3 });

    const csv = await datasetUpload([{ name: "flowers.csv", bytes: text("species,a,b\nx,1,2\ny,3,4\nx,5,6\n") }], "species");
    expect(csv.outcome).toBe("ok");
    expect(csv.completed!.dataset).toMatchObject({ format: "csv", rows: 3, inputShape: [2], classes: 2, classNames: ["x", "y"] });

    const builtin = await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { ok dataset { rows inputShape classes } } }`, { p: projectId });
    expect(builtin.addBuiltinDataset).toMatchObject({ ok: true, dataset: { rows: 150, inputShape: [4], classes: 3 } });
  });

  describe("a corpus of malformed uploads, each refused with its code and leaving nothing in storage", () => {
    const symlinkZip = () =>
      zipOf({ "model.json": model.modelJson }, (zip) => zip.file("weights.bin", "/etc/passwd", { unixPermissions: 0o120777 }));
    const bombZip = async () => zipOf({ "model.json": model.modelJson, "group1-shard1of1.bin": new Uint8Array(9 * 1024 * 1024) });
    const pair = npyPair(10, 3, 2);
    const cases: [title: string, code: string, files: () => Promise<UploadFile[]>, kind?: "model" | "dataset"][] = [
      ["truncated JSON in model.json", "INVALID_MODEL", async () => looseModel(model.modelJson.slice(0, 40))],
      ["a PNG named model.json", "WRONG_FILE_TYPE", async () => looseModel(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0]))],
      ["an empty model.json", "BAD_USER_INPUT", async () => looseModel(new Uint8Array())],
      ["JSON that is not a model", "INVALID_MODEL", async () => looseModel(`{"hello": "world"}`)],
      ["a JSON array as model.json", "INVALID_MODEL", async () => looseModel(`[1, 2, 3]`)],
      ["a shard shorter than the manifest", "INVALID_MODEL", async () => looseModel(undefined, model.shards.get("group1-shard1of1.bin")!.slice(0, 100))],
      ["a shard longer than the manifest", "INVALID_MODEL", async () => looseModel(undefined, new Uint8Array(model.shards.get("group1-shard1of1.bin")!.length + 8))],
      ["a missing shard", "INVALID_MODEL", async () => [{ name: "model.json", bytes: text(model.modelJson) }]],
      ["no model.json at all", "INVALID_MODEL", async () => [{ name: "weights.bin", bytes: new Uint8Array(16) }]],
      ["an unknown weight dtype", "INVALID_MODEL", async () => looseModel(patchedJson((j) => (j.weightsManifest[0].weights[0].dtype = "complex64")))],
      [
        "weight shapes that contradict the layers",
        "INVALID_MODEL",
        async () =>
          looseModel(
            patchedJson((j) => {
              j.weightsManifest[0].weights[0].shape = [8, 4];
            }),
          ),
      ],
      ["an unsupported layer (LSTM)", "INVALID_MODEL", async () => looseModel(patchedJson((j) => (j.modelTopology.config.layers[0].class_name = "LSTM")))],
      ["an unknown activation", "INVALID_MODEL", async () => looseModel(patchedJson((j) => (j.modelTopology.config.layers[0].config.activation = "wobbly")))],
      ["a zip holding two model.json", "INVALID_MODEL", async () => [{ name: "m.zip", bytes: await zipOf({ "a/model.json": model.modelJson, "b/model.json": model.modelJson }) }]],
      ["zip slip: an entry climbing out with ..", "UNSAFE_ARCHIVE", async () => [{ name: "m.zip", bytes: await zipOf({ "../evil/model.json": model.modelJson }) }]],
      ["an entry with an absolute path", "UNSAFE_ARCHIVE", async () => [{ name: "m.zip", bytes: await zipOf({ "/etc/cron.d/model.json": model.modelJson }) }]],
      ["a symbolic link in the zip", "UNSAFE_ARCHIVE", async () => [{ name: "m.zip", bytes: await symlinkZip() }]],
      ["a zip bomb (expands past four times the file limit)", "ARCHIVE_TOO_LARGE", async () => [{ name: "m.zip", bytes: await bombZip() }]],
      [
        "a zip with too many entries",
        "ARCHIVE_TOO_LARGE",
        async () => [{ name: "m.zip", bytes: await zipOf(Object.fromEntries(Array.from({ length: 2001 }, (_, i) => [`f${i}.txt`, "x"]))) }],
      ],
      ["a damaged zip", "MALFORMED_ARCHIVE", async () => [{ name: "m.zip", bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8, 9]) }]],
      ["text named model.zip", "WRONG_FILE_TYPE", async () => [{ name: "model.zip", bytes: text("not a zip at all") }]],
      ["a file over the size limit", "FILE_TOO_LARGE", async () => [{ name: "model.json", bytes: text("{}"), declaredSize: MAX_FILE + 1 }]],
      // The signed URL refuses another length (below); a store that does not check lengths is caught at completion.
      ["a file bigger than declared", "FILE_TOO_LARGE", async () => [{ name: "model.json", bytes: text(model.modelJson), declaredSize: 10, directTo: api.platform.objects.endpoint }]],
      [
        "a file smaller than declared",
        "UPLOAD_INCOMPLETE",
        async () => [{ name: "model.json", bytes: text(model.modelJson), declaredSize: model.modelJson.length + 50, directTo: api.platform.objects.endpoint }],
      ],
      ["a file never uploaded", "UPLOAD_INCOMPLETE", async () => [...looseModel().slice(0, 1), { ...looseModel()[1]!, skipPut: true }]],
      ["CSV with NaN", "INVALID_DATASET", async () => [{ name: "d.csv", bytes: text("a,b,label\n1,NaN,0\n2,3,1\n") }], "dataset"],
      ["CSV with words in a number column", "INVALID_DATASET", async () => [{ name: "d.csv", bytes: text("a,b,label\n1,two,0\n2,3,1\n") }], "dataset"],
      ["CSV with ragged rows", "INVALID_DATASET", async () => [{ name: "d.csv", bytes: text("a,b,label\n1,2,0\n2,1\n") }], "dataset"],
      ["CSV with only a header", "INVALID_DATASET", async () => [{ name: "d.csv", bytes: text("a,b,label\n") }], "dataset"],
      ["a PNG named data.csv", "WRONG_FILE_TYPE", async () => [{ name: "data.csv", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) }], "dataset"],
      ["x.npy without y.npy", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: pair.x }], "dataset"],
      ["a PNG named x.npy", "WRONG_FILE_TYPE", async () => [{ name: "x.npy", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]) }, { name: "y.npy", bytes: pair.y }], "dataset"],
      ["NPY pair with different row counts", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: pair.x }, { name: "y.npy", bytes: npyPair(7, 3, 2).y }], "dataset"],
      ["NPY with a broken header", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 200, 0, 123]) }, { name: "y.npy", bytes: pair.y }], "dataset"],
      ["NPY with Infinity", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: encodeNpy(new Float32Array([1, Infinity, 2, 3]), [2, 2]) }, { name: "y.npy", bytes: encodeNpy(new Int32Array([0, 1]), [2]) }], "dataset"],
      ["negative class labels", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: pair.x }, { name: "y.npy", bytes: encodeNpy(new Int32Array(10).fill(-1), [10]) }], "dataset"],
      ["neither NPY pair nor CSV", "INVALID_DATASET", async () => [{ name: "readme.txt", bytes: text("hello") }], "dataset"],
    ];

    for (const [title, code, files, kind] of cases) {
      it(title, async () => {
        const before = await api.platform.store.list("");
        const result = kind === "dataset" ? await datasetUpload(await files()) : await modelUpload(await files());
        expect(result.outcome, JSON.stringify(result.completed?.error ?? result.requested.error)).toBe(code);
        const message = (result.completed?.error ?? result.requested.error)!.message;
        expect(message.length).toBeGreaterThan(10);
        expect(message).not.toMatch(/\n\s+at /);
        expect(await api.platform.store.list("")).toEqual(before);
      });
    }

    it("has at least 30 cases", () => expect(cases.length).toBeGreaterThanOrEqual(30));
  });

  it("the public storage route accepts only valid, unexpired presigned URLs for one object", async () => {
    const requested = (
      await client.data(`mutation ($input: RequestUploadInput!) { requestUpload(input: $input) { upload { files { url } } } }`, {
        input: { projectId, kind: "MODEL", name: "m", files: [{ name: "model.json", size: 5 }] },
      })
    ).requestUpload.upload.files[0].url as string;
    const put = (url: string, body: string) => fetch(url, { method: "PUT", body, headers: { "content-type": "application/octet-stream" } });
    // Another length than signed, a tampered key, a forged signature, no signature: all refused.
    expect((await put(requested, "123456")).status).toBe(403);
    expect((await put(requested.replace("model.json", "other.json"), "12345")).status).toBe(403);
    expect((await put(requested.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${"0".repeat(64)}`), "12345")).status).toBe(403);
    expect((await put(requested.split("?")[0]!, "12345")).status).toBe(403);
    // Listing the bucket, which the embedded store would answer to anyone, is refused too.
    expect((await fetch(`${api.url}/storage/lossatlas?list-type=2`)).status).toBe(403);
    expect((await fetch(`${api.url}/storage/lossatlas/`)).status).toBe(403);
    // The URL as issued works.
    expect((await put(requested, "12345")).status).toBe(200);
  });

  it("refuses uploads over the quota, and a second completion", async () => {
    const other = new TestClient(api.url);
    await other.signUp("quota@example.org");
    const p = (await other.data(`mutation { createProject(input: { name: "q" }) { project { id } } }`)).createProject.project.id;
    const big = Array.from({ length: 21 }, (_, i) => ({ name: `f${i}.bin`, bytes: new Uint8Array(0), declaredSize: MAX_FILE }));
    const over = await upload(other, { projectId: p, kind: "MODEL" }, big);
    expect(over.outcome).toBe("QUOTA_EXCEEDED");

    const first = await upload(other, { projectId: p, kind: "MODEL" }, looseModel());
    expect(first.outcome).toBe("ok");
    const again = await other.data(`mutation ($id: ID!) { completeUpload(id: $id) { ok error { code } } }`, { id: first.requested.upload!.id });
    expect(again.completeUpload.error.code).toBe("UPLOAD_EXPIRED");
  });
});
