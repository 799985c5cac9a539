/**
 * Uploads end to end over HTTP and presigned URLs against the real object store: valid models and
 * datasets are validated and summarised; a corpus of malformed uploads is each refused with its
 * stable code, and leaves nothing behind in storage.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNpy, MAX_ONNX_DEPTH, MAX_ONNX_INITIALIZERS, MAX_ONNX_NODES } from "../../engine/index.js";
import { buildMlp, chainedOnnx, converterFiles } from "../../engine/testing/index.js";
import { type ZipEntry, zipBytes } from "../../engine/testing/zip.js";
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
  const zipOf = (entries: Record<string, Uint8Array | string>, extra: ZipEntry[] = []) =>
    zipBytes([...Object.entries(entries).map(([name, bytes]) => ({ name, bytes })), ...extra]);
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
    expect(keys.sort()).toEqual([`projects/${projectId}/models/${id}/model.json`, `projects/${projectId}/models/${id}/weights-0001.bin`]);
    expect(await api.platform.store.list("uploads/")).toEqual([]);
  });

  it("stores a Keras 3 model from TensorFlow's converter, quantized to uint8 and sharded, its summary saying so", async () => {
    const files = await converterFiles(buildMlp([4, 8, 3], 2), { keras: 3, quantize: "uint8", shardBytes: 16 });
    const uploaded: UploadFile[] = [{ name: "model.json", bytes: text(files.modelJson as string) }, ...[...(files.shards as Map<string, Uint8Array>)].map(([name, bytes]) => ({ name, bytes }))];
    expect(uploaded.length).toBeGreaterThan(3);
    const result = await modelUpload(uploaded);
    expect(result.outcome, JSON.stringify(result.completed?.error)).toBe("ok");
    expect(result.completed!.model).toMatchObject({ format: "tfjs-layers", parameterCount: 4 * 8 + 8 + 8 * 3 + 3, inputShape: [4], outputShape: [3], loss: "sparse_categorical_crossentropy" });
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
      zipOf({ "model.json": model.modelJson }, [{ name: "weights.bin", bytes: "/etc/passwd", mode: 0o120777 }]);
    const bombZip = async () => zipOf({ "model.json": model.modelJson, "group1-shard1of1.bin": new Uint8Array(9 * 1024 * 1024) });
    const pair = npyPair(10, 3, 2);
    /** The model's shard with one float32 weight replaced (index -1: the last, a bias). */
    const withWeight = (index: number, value: number) => {
      const copy = new Uint8Array(model.shards.get("group1-shard1of1.bin")!);
      const weights = new Float32Array(copy.buffer);
      weights[index < 0 ? weights.length + index : index] = value;
      return copy;
    };
    /** An NPY header with any dtype and order, over `bytes` zero bytes. */
    const npyWithDescr = (descr: string, shape: number[], bytes: number, fortran = false) => {
      const header = `{'descr': '${descr}', 'fortran_order': ${fortran ? "True" : "False"}, 'shape': (${shape.join(", ")}), }`.padEnd(117, " ") + "\n";
      const out = new Uint8Array(10 + header.length + bytes);
      out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
      new DataView(out.buffer).setUint16(8, header.length, true);
      out.set(new TextEncoder().encode(header), 10);
      return out;
    };
    const cases: [title: string, code: string, files: () => Promise<UploadFile[]>, kind?: "model" | "dataset" | "dataset-nolabel", message?: RegExp][] = [
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
      ["a file bigger than declared", "FILE_TOO_LARGE", async () => [{ name: "model.json", bytes: text(model.modelJson), declaredSize: 10, direct: api.platform.store }]],
      [
        "a file smaller than declared",
        "UPLOAD_INCOMPLETE",
        async () => [{ name: "model.json", bytes: text(model.modelJson), declaredSize: model.modelJson.length + 50, direct: api.platform.store }],
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
      // Found accepted by an outside check: deep nesting, non-finite weights, no features, huge labels.
      ["model.json nested a million arrays deep", "INVALID_MODEL", async () => looseModel("[".repeat(1_000_000) + "]".repeat(1_000_000)), "model", /more than 100 levels deep/],
      ["model.json nested objects 5000 deep", "INVALID_MODEL", async () => looseModel('{"a":'.repeat(5000) + "1" + "}".repeat(5000))],
      ["a deeply nested topology inside a valid model", "INVALID_MODEL", async () => looseModel(patchedJson((j) => (j.modelTopology.extra = JSON.parse("[".repeat(500) + "]".repeat(500)))))],
      ["a NaN weight", "INVALID_MODEL", async () => looseModel(undefined, withWeight(3, Number.NaN)), "model", /finite numbers; the weight \S+ holds NaN at index 3/],
      ["an infinite weight", "INVALID_MODEL", async () => looseModel(undefined, withWeight(0, Number.POSITIVE_INFINITY)), "model", /holds Infinity at index 0/],
      ["a -Infinity bias", "INVALID_MODEL", async () => looseModel(undefined, withWeight(-1, Number.NEGATIVE_INFINITY))],
      ["a zip bomb just under the archive limit", "INVALID_MODEL", async () => [{ name: "m.zip", bytes: await zipOf({ "model.json": model.modelJson, "group1-shard1of1.bin": new Uint8Array(7 * 1024 * 1024) }) }]],
      ["a dataset zip bomb", "ARCHIVE_TOO_LARGE", async () => [{ name: "d.zip", bytes: await zipOf({ "x.npy": new Uint8Array(9 * 1024 * 1024), "y.npy": pair.y }) }], "dataset"],
      ["a dataset zip with an entry climbing out", "UNSAFE_ARCHIVE", async () => [{ name: "d.zip", bytes: await zipOf({ "../../x.npy": pair.x, "y.npy": pair.y }) }], "dataset"],
      ["a manifest naming an absolute path", "INVALID_MODEL", async () => [{ name: "model.json", bytes: text(patchedJson((j) => (j.weightsManifest[0].paths = ["/etc/passwd"]))) }]],
      ["a manifest that is not a list", "INVALID_MODEL", async () => looseModel(patchedJson((j) => (j.weightsManifest = { paths: ["group1-shard1of1.bin"] })))],
      ["manifest paths that are numbers", "INVALID_MODEL", async () => looseModel(patchedJson((j) => (j.weightsManifest[0].paths = [1])))],
      ["a negative weight shape", "INVALID_MODEL", async () => looseModel(patchedJson((j) => (j.weightsManifest[0].weights[0].shape = [-4, 8])))],
      ["a weight shape of a trillion values", "INVALID_MODEL", async () => looseModel(patchedJson((j) => (j.weightsManifest[0].weights[0].shape = [1_000_000, 1_000_000])))],
      ["a JSON string as model.json", "WRONG_FILE_TYPE", async () => looseModel(`"hello"`)],
      ["a null topology", "INVALID_MODEL", async () => looseModel(patchedJson((j) => (j.modelTopology = null)))],
      ["binary bytes named model.json", "WRONG_FILE_TYPE", async () => looseModel(new Uint8Array([0, 1, 2, 3, 0xff, 0xfe, 0, 0, 7, 8, 9, 10]))],
      ["a file name with a NUL", "BAD_USER_INPUT", async () => [{ name: "model\u0000.json", bytes: text(model.modelJson) }]],
      ["the same file twice", "BAD_USER_INPUT", async () => [...looseModel(), { name: "model.json", bytes: text(model.modelJson) }]],
      ["no files", "BAD_USER_INPUT", async () => []],
      ["more than 200 files", "BAD_USER_INPUT", async () => Array.from({ length: 201 }, (_, i) => ({ name: `f${i}.bin`, bytes: new Uint8Array(1) }))],
      ["NPY with zero features", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: encodeNpy(new Float32Array(0), [10, 0]) }, { name: "y.npy", bytes: pair.y }], "dataset", /no features/],
      ["NPY with no rows", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: encodeNpy(new Float32Array(0), [0, 3]) }, { name: "y.npy", bytes: encodeNpy(new Int32Array(0), [0]) }], "dataset"],
      ["a label of a billion", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: pair.x }, { name: "y.npy", bytes: encodeNpy(new Int32Array(10).fill(1_000_000_000), [10]) }], "dataset", /at most 10000 classes.*row 0 holds 1000000000/],
      ["a label at the class limit", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: pair.x }, { name: "y.npy", bytes: encodeNpy(new Int32Array(10).fill(10_000), [10]) }], "dataset"],
      ["fractional labels", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: pair.x }, { name: "y.npy", bytes: encodeNpy(new Float32Array(10).fill(0.5), [10]) }], "dataset"],
      ["NaN labels", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: pair.x }, { name: "y.npy", bytes: encodeNpy(new Float32Array(10).fill(Number.NaN), [10]) }], "dataset"],
      ["NPY features with NaN", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: encodeNpy(new Float32Array(30).fill(Number.NaN), [10, 3]) }, { name: "y.npy", bytes: pair.y }], "dataset"],
      ["NPY of Python objects", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: npyWithDescr("|O", [10, 3], 240) }, { name: "y.npy", bytes: pair.y }], "dataset"],
      ["NPY in Fortran order", "INVALID_DATASET", async () => [{ name: "x.npy", bytes: npyWithDescr("<f4", [10, 3], 120, true) }, { name: "y.npy", bytes: pair.y }], "dataset"],
      ["CSV with Infinity", "INVALID_DATASET", async () => [{ name: "d.csv", bytes: text("a,b,label\n1,Infinity,0\n2,3,1\n") }], "dataset"],
      ["CSV with an empty cell", "INVALID_DATASET", async () => [{ name: "d.csv", bytes: text("a,b,label\n1,,0\n2,3,1\n") }], "dataset"],
      ["CSV naming a label column it lacks", "INVALID_DATASET", async () => [{ name: "d.csv", bytes: text("a,b,label\n1,2,0\n2,3,1\n") }], "dataset-nolabel"],
      ["two CSV files", "INVALID_DATASET", async () => [{ name: "a.csv", bytes: text("a,label\n1,0\n") }, { name: "b.csv", bytes: text("a,label\n1,0\n") }], "dataset"],
      // Bounds on a model's graph (engine/onnx/bounds.ts): a probe's 20,000 chained nodes, then each bound alone.
      ["an ONNX graph of 20,000 chained nodes", "INVALID_MODEL", async () => [{ name: "chain.onnx", bytes: chainedOnnx(20_000) }], "model", new RegExp(`20001 nodes; the engine reads at most ${MAX_ONNX_NODES}`)],
      ["an ONNX graph deeper than the engine reads", "INVALID_MODEL", async () => [{ name: "deep.onnx", bytes: chainedOnnx(MAX_ONNX_DEPTH + 1) }], "model", /nodes deep .*at most 1000 deep/],
      ["an ONNX graph of too many initializers", "INVALID_MODEL", async () => [{ name: "wide.onnx", bytes: chainedOnnx(2, MAX_ONNX_INITIALIZERS) }], "model", /initializers; the engine reads at most/],
      ["CSV with NUL bytes", "WRONG_FILE_TYPE", async () => [{ name: "d.csv", bytes: new Uint8Array([0x61, 0x2c, 0x62, 0, 0, 0, 0x0a, 0x31, 0x2c, 0x30, 0, 0]) }], "dataset"],
    ];

    for (const [title, code, files, kind, pattern] of cases) {
      it(title, async () => {
        const before = await api.platform.store.list("");
        const result =
          kind === "dataset" ? await datasetUpload(await files()) : kind === "dataset-nolabel" ? await datasetUpload(await files(), "target") : await modelUpload(await files());
        expect(result.outcome, JSON.stringify(result.completed?.error ?? result.requested.error)).toBe(code);
        const message = (result.completed?.error ?? result.requested.error)!.message;
        expect(message.length).toBeGreaterThan(10);
        expect(message).not.toMatch(/\n\s+at /);
        if (pattern) expect(message).toMatch(pattern);
        expect(await api.platform.store.list("")).toEqual(before);
      });
    }

    it("has at least 60 cases", () => expect(cases.length).toBeGreaterThanOrEqual(60));
  });

  it("the public storage route accepts only valid, unexpired presigned URLs for one object", async () => {
    const requested = (
      await client.data(`mutation ($input: RequestUploadInput!) { requestUpload(input: $input) { upload { files { url } } } }`, {
        input: { projectId, kind: "MODEL", name: "m", files: [{ name: "model.json", size: 5 }] },
      })
    ).requestUpload.upload.files[0].url as string;
    expect(new URL(requested).pathname).toMatch(/^\/storage\/uploads\/[0-9a-f-]{36}\/part-0001$/);
    const put = (url: string, body: string) => fetch(url, { method: "PUT", body, headers: { "content-type": "application/octet-stream" } });
    // Another length than signed, a tampered key, a forged signature, no signature: all refused.
    expect((await put(requested, "123456")).status).toBe(403);
    expect((await put(requested.replace("part-0001", "part-0002"), "12345")).status).toBe(403);
    expect((await put(requested.replace(/sig=[0-9a-f]+/, `sig=${"0".repeat(64)}`), "12345")).status).toBe(403);
    expect((await put(requested.split("?")[0]!, "12345")).status).toBe(403);
    // Listing, which an S3 server would answer, is not a thing here.
    expect((await fetch(`${api.url}/storage/lossatlas?list-type=2`)).status).toBe(400);
    expect((await fetch(`${api.url}/storage/`)).status).toBe(400);
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

describe("upload URLs used again, with S3 storage", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({}, { storage: "s3" });
  });
  afterAll(async () => api?.stop());

  it("sweeps what a PUT after completion leaves under uploads/, and keeps open uploads' files", async () => {
    const client = new TestClient(api.url);
    await client.signUp("s3-orphans@example.org");
    const projectId = (await client.data(`mutation { createProject(input: { name: "s3" }) { project { id } } }`)).createProject.project.id;
    const csv = text("a,b,label\n1,2,0\n3,4,1\n");
    const request = `mutation ($input: RequestUploadInput!) { requestUpload(input: $input) { upload { id files { url contentType } } } }`;
    const ask = async () =>
      (await client.data(request, { input: { projectId, kind: "DATASET", name: "d", files: [{ name: "d.csv", size: csv.length }] } })).requestUpload.upload as {
        id: string;
        files: { url: string; contentType: string }[];
      };
    const put = (file: { url: string; contentType: string }) => fetch(file.url, { method: "PUT", body: csv, headers: { "content-type": file.contentType } });

    const done = await ask();
    expect((await put(done.files[0]!)).status).toBe(200);
    expect((await client.data(`mutation ($id: ID!) { completeUpload(id: $id) { ok } }`, { id: done.id })).completeUpload.ok).toBe(true);
    const { store } = api.api.services;
    expect(await store.list(`uploads/${done.id}/`)).toEqual([]);
    // The store checks only its own signature, so the used URL writes again: an orphan.
    expect((await put(done.files[0]!)).status).toBe(200);
    expect(await store.list(`uploads/${done.id}/`)).toEqual([`uploads/${done.id}/part-0001`]);

    // An upload still open keeps its file; an object of no upload at all goes.
    const open = await ask();
    expect((await put(open.files[0]!)).status).toBe(200);
    await store.put("uploads/00000000-0000-4000-8000-000000000000/part-0001", "stray");

    expect(await api.api.services.uploads.sweepOrphans()).toBe(2);
    expect(await store.list("uploads/")).toEqual([`uploads/${open.id}/part-0001`]);
    expect((await client.data(`mutation ($id: ID!) { completeUpload(id: $id) { ok } }`, { id: open.id })).completeUpload.ok).toBe(true);
  });
});
