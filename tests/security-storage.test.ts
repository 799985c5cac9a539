/**
 * Storage attacked as an adversary would, against the real `lossatlas start` stack over real HTTP.
 * A owns a private project with a dataset and a model; B was a viewer and was removed; C is an
 * outsider with a project of their own. Every attack must be refused without touching a stored
 * byte: the checksums of A's objects stay the same and nothing is written outside the store.
 */
import { createHash, createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../server/src/testing/api.js";
import { mlpFiles, text, upload } from "../server/src/testing/uploads.js";
import { type RunningStack, startStack, tempDataDir } from "./support/stack.js";

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An HTTP request sent exactly as written: the path is not normalised, headers are not added. */
function raw(base: string, method: string, rawPath: string, options: { headers?: Record<string, string>; body?: Uint8Array | string } = {}): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, method, path: rawPath, headers: options.headers ?? {} }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on("error", reject);
    if (options.body !== undefined) request.end(options.body);
    else request.end();
  });
}

const pathOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

/** sha256 of every file under a folder, by relative path. */
async function checksums(dir: string): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else sums.set(path.relative(dir, full), createHash("sha256").update(await fs.readFile(full)).digest("hex"));
    }
  };
  await walk(dir);
  return sums;
}

const CSV = "a,b,label\n1,2,0\n3,4,1\n5,6,0\n";

describe("storage under attack", () => {
  let stack: RunningStack;
  let dataDir: string;
  let store: string;
  const a = { client: undefined as unknown as TestClient, projectId: "", datasetId: "", modelId: "", datasetKey: "", modelJsonKey: "" };
  let b: TestClient;
  let c: TestClient;
  let cProject = "";
  let aObjects: Map<string, string>;
  let outside: string[];
  let datasetUrl = "";

  const requestPut = async (client: TestClient, projectId: string, files: { name: string; size: number; contentType?: string }[]) =>
    (
      await client.data(
        `mutation ($input: RequestUploadInput!) { requestUpload(input: $input) { ok error { code message } upload { id files { name url contentType } } } }`,
        { input: { projectId, kind: "DATASET", name: "x", files } },
      )
    ).requestUpload;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    stack = await startStack(dataDir, { WORKERS: "0" });
    store = stack.runtime.storage;
    const url = stack.runtime.url;

    a.client = new TestClient(url);
    await a.client.signUp("owner-a@example.org");
    a.projectId = (await a.client.data(`mutation { createProject(input: { name: "private" }) { project { id } } }`)).createProject.project.id;
    const dataset = await upload(a.client, { projectId: a.projectId, kind: "DATASET", name: "secret data" }, [{ name: "data.csv", bytes: text(CSV) }]);
    expect(dataset.outcome).toBe("ok");
    a.datasetId = dataset.completed!.dataset!.id;
    const files = await mlpFiles([2, 4, 2]);
    const model = await upload(a.client, { projectId: a.projectId, kind: "MODEL", name: "secret model" }, [
      { name: "model.json", bytes: text(files.modelJson) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    expect(model.outcome).toBe("ok");
    a.modelId = model.completed!.model!.id;
    a.datasetKey = `projects/${a.projectId}/datasets/${a.datasetId}/data.csv`;
    a.modelJsonKey = `projects/${a.projectId}/models/${a.modelId}/model.json`;

    b = new TestClient(url);
    const bId = await b.signUp("viewer-b@example.org");
    await a.client.data(`mutation ($p: ID!) { setProjectMember(projectId: $p, email: "viewer-b@example.org", role: VIEWER) { ok } }`, { p: a.projectId });
    await a.client.data(`mutation ($p: ID!, $u: ID!) { removeProjectMember(projectId: $p, userId: $u) { ok } }`, { p: a.projectId, u: bId });

    c = new TestClient(url);
    await c.signUp("outsider-c@example.org");
    cProject = (await c.data(`mutation { createProject(input: { name: "mine" }) { project { id } } }`)).createProject.project.id;

    datasetUrl = (await a.client.data(`query ($id: ID!) { dataset(id: $id) { downloads { name url } } }`, { id: a.datasetId })).dataset.downloads[0].url;
    aObjects = new Map([...(await checksums(store))].filter(([key]) => key.startsWith(`projects${path.sep}${a.projectId}`)));
    expect(aObjects.size).toBe(3);
    outside = (await fs.readdir(path.dirname(dataDir))).sort();
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("A's own download works, as an attachment that cannot run on our origin", async () => {
    const answer = await raw(stack.runtime.url, "GET", pathOf(datasetUrl));
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(CSV);
    expect(answer.headers["content-type"]).toBe("text/csv");
    expect(answer.headers["content-disposition"]).toMatch(/^attachment; filename="secret_data-data\.csv"$/);
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["content-security-policy"]).toMatch(/^sandbox/);
    expect((await raw(stack.runtime.url, "HEAD", pathOf(datasetUrl))).status).toBe(200);
  });

  it("refuses forged URLs: the old fixed credentials, a guessed secret, no signature", async () => {
    const base = stack.runtime.url;
    // SigV4 query signing with the constants the embedded S3 server used to accept.
    const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
    const sigv4 = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=S3RVER%2F${amzDate.slice(0, 8)}%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=${amzDate}&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=${"ab".repeat(32)}`;
    for (const key of [a.datasetKey, a.modelJsonKey]) {
      for (const method of ["GET", "HEAD", "PUT"]) {
        expect((await raw(base, method, `/storage/lossatlas/${key}?${sigv4}`, { body: method === "PUT" ? "x" : undefined })).status, `${method} sigv4`).toBeGreaterThanOrEqual(400);
        expect((await raw(base, method, `/storage/${key}?${sigv4}`, { body: method === "PUT" ? "x" : undefined })).status).toBeGreaterThanOrEqual(400);
        expect((await raw(base, method, `/storage/${key}`, { body: method === "PUT" ? "x" : undefined })).status).toBe(403);
      }
      // Our own URL format, signed with secrets an attacker might guess.
      for (const guess of ["S3RVER", "lossatlas", "", "secret"]) {
        const expires = Math.floor(Date.now() / 1000) + 600;
        const canonical = ["lossatlas-storage-v1", "get", key, expires, 0, "text/csv", "x.csv"].join("\n");
        const sig = createHmac("sha256", guess).update(canonical).digest("hex");
        const answer = await raw(base, "GET", `/storage/${key}?op=get&exp=${expires}&len=0&type=text%2Fcsv&name=x.csv&sig=${sig}`);
        expect(answer.status).toBe(403);
        expect(answer.body).not.toContain("1,2,0");
      }
    }
  });

  it("refuses keys that climb out or hide: .., %2e%2e, %2F, backslash, absolute, NUL", async () => {
    const base = stack.runtime.url;
    const put = await requestPut(c, cProject, [{ name: "data.csv", size: 5 }]);
    const own = new URL(put.upload.files[0].url);
    const query = own.search;
    const ownKey = own.pathname.slice("/storage/".length);
    const climbs = [
      `${ownKey}/../../../projects/${a.projectId}/datasets/${a.datasetId}/data.csv`,
      `${ownKey}/..%2F..%2F..%2Fprojects%2F${a.projectId}%2Fdatasets%2F${a.datasetId}%2Fdata.csv`,
      `${ownKey}/%2e%2e/%2e%2e/%2e%2e/projects/${a.projectId}/datasets/${a.datasetId}/data.csv`,
      `${ownKey}/..%5c..%5c..%5cprojects`,
      `${ownKey}\\..\\..\\evil`,
      `uploads/../../../../../../tmp/evil-outside`,
      `..%2F..%2F..%2F..%2Ftmp%2Fevil-outside`,
      `%2Ftmp%2Fevil-outside`,
      `/tmp/evil-outside`,
      `${ownKey}%00.csv`,
      `.signing-secret`,
      `.tmp/anything`,
    ];
    for (const key of climbs) {
      for (const method of ["PUT", "GET"]) {
        const answer = await raw(base, method, `/storage/${key}${query}`, { body: method === "PUT" ? "12345" : undefined, headers: method === "PUT" ? { "content-length": "5" } : {} });
        expect(answer.status, `${method} ${key}`).toBeGreaterThanOrEqual(400);
        expect(answer.body).not.toContain("1,2,0");
      }
    }
    expect(existsSync("/tmp/evil-outside")).toBe(false);
  });

  it("refuses a valid URL replayed against another key, method, length or type", async () => {
    const base = stack.runtime.url;
    const put = await requestPut(c, cProject, [{ name: "data.csv", size: 5 }]);
    const url = new URL(put.upload.files[0].url);
    // C's upload URL pointed at A's objects, or at another upload of C's.
    for (const key of [a.datasetKey, a.modelJsonKey, url.pathname.slice(9).replace("part-0001", "part-0002")]) {
      const answer = await raw(base, "PUT", `/storage/${key}${url.search}`, { body: "12345" });
      expect(answer.status, key).toBe(403);
    }
    // A's download URL pointed at A's model.
    const download = new URL(datasetUrl);
    expect((await raw(base, "GET", `/storage/${a.modelJsonKey}${download.search}`)).status).toBe(403);
    // Method swapped, length and type changed, body streamed without a length.
    expect((await raw(base, "GET", pathOf(url.href))).status).toBe(403);
    expect((await raw(base, "PUT", pathOf(datasetUrl), { body: "12345" })).status).toBe(403);
    expect((await raw(base, "PUT", pathOf(url.href), { body: "123456" })).status).toBe(403);
    expect((await raw(base, "PUT", pathOf(url.href), { body: "12345", headers: { "content-type": "text/html" } })).status).toBe(403);
    expect((await raw(base, "PUT", pathOf(url.href), { body: "12345", headers: { "transfer-encoding": "chunked" } })).status).toBe(411);
    // The URL as issued works once its terms are kept.
    expect((await raw(base, "PUT", pathOf(url.href), { body: "12345", headers: { "content-type": "application/octet-stream" } })).status).toBe(200);
  });

  it("takes each upload URL once: a second PUT of a part, or any PUT after completion, is refused and leaves nothing", async () => {
    const base = stack.runtime.url;
    const put = await requestPut(c, cProject, [{ name: "data.csv", size: CSV.length }]);
    const target = pathOf(put.upload.files[0].url);
    const send = () => raw(base, "PUT", target, { body: CSV, headers: { "content-type": "application/octet-stream" } });
    expect((await send()).status).toBe(200);
    // The same URL again before completion: the part is already there.
    const again = await send();
    expect(again.status).toBe(409);
    expect(again.body).toMatch(/already/);
    const completed = (await c.data(`mutation ($id: ID!) { completeUpload(id: $id) { ok error { code message } dataset { id } } }`, { id: put.upload.id })).completeUpload;
    expect(completed.ok).toBe(true);
    // The probe's attack: the URL once more after completion.
    const replay = await send();
    expect(replay.status).toBe(409);
    expect(existsSync(path.join(store, "uploads", put.upload.id))).toBe(false);
    const orphans = existsSync(path.join(store, "uploads")) ? await fs.readdir(path.join(store, "uploads")) : [];
    expect(orphans).not.toContain(put.upload.id);
  });

  it("refuses server-side copy, listing, delete, multipart and response overrides", async () => {
    const base = stack.runtime.url;
    const put = await requestPut(c, cProject, [{ name: "data.csv", size: CSV.length }]);
    const url = pathOf(put.upload.files[0].url);
    const source = `/lossatlas/${a.datasetKey}`;
    // Copy by header and by query parameter: refused before anything is read or written.
    const byHeader = await raw(base, "PUT", url, { headers: { "x-amz-copy-source": source, "content-length": "0" } });
    expect(byHeader.status).toBe(400);
    expect(byHeader.body).not.toMatch(/ETag|CopyObjectResult|1,2,0/);
    expect((await raw(base, "PUT", `${url}&x-amz-copy-source=${encodeURIComponent(source)}`, { body: "" })).status).toBe(400);
    expect((await raw(base, "PUT", url, { body: CSV, headers: { "x-amz-meta-evil": "1" } })).status).toBe(400);
    // The upload never arrived, and completing it says so without A's size.
    const completed = (await c.data(`mutation ($id: ID!) { completeUpload(id: $id) { ok error { code message } } }`, { id: put.upload.id })).completeUpload;
    expect(completed.error.code).toBe("UPLOAD_INCOMPLETE");
    expect(completed.error.message).not.toMatch(new RegExp(`\\b${CSV.length}\\b.*arrived|arrived with \\d`));

    for (const [method, target] of [
      ["GET", "/storage/"],
      ["GET", "/storage/?list-type=2"],
      ["GET", "/storage/lossatlas?list-type=2"],
      ["GET", `/storage/projects/${a.projectId}/?list-type=2`],
      ["DELETE", url],
      ["DELETE", pathOf(datasetUrl)],
      ["POST", `${url}&uploads`],
      ["POST", `/storage/${a.datasetKey}?uploads`],
      ["PUT", `${url}&partNumber=1&uploadId=abc`],
      ["GET", `${pathOf(datasetUrl)}&response-content-type=text%2Fhtml`],
      ["GET", `${pathOf(datasetUrl)}&response-cache-control=public`],
      ["GET", `${pathOf(datasetUrl)}&response-content-disposition=inline`],
      ["OPTIONS", pathOf(datasetUrl)],
    ] as const) {
      const answer = await raw(base, method, target, method === "PUT" ? { body: "x" } : {});
      expect(answer.status, `${method} ${target}`).toBeGreaterThanOrEqual(400);
      expect(answer.body).not.toContain("1,2,0");
      expect(answer.body).not.toContain(a.datasetId);
    }
  });

  it("stores shards under server names, so a manifest path cannot reach another project's files", async () => {
    const files = await mlpFiles([2, 4, 2], 3);
    const manifest = JSON.parse(files.modelJson);
    manifest.weightsManifest[0].paths = [`../../../../projects/${a.projectId}/models/${a.modelId}/group1-shard1of1.bin`];
    const result = await upload(c, { projectId: cProject, kind: "MODEL", name: "sneaky" }, [
      { name: "model.json", bytes: text(JSON.stringify(manifest)) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    // Whether or not it is accepted, it lands only in C's project under server-chosen names.
    if (result.outcome === "ok") {
      const downloads = (await c.data(`query ($id: ID!) { model(id: $id) { downloads { name } } }`, { id: result.completed!.model!.id })).model.downloads;
      expect(downloads.map((d: { name: string }) => d.name).sort()).toEqual(["model.json", "weights-0001.bin"]);
    }
    const deeper = await upload(c, { projectId: cProject, kind: "MODEL", name: "deeper" }, [
      { name: "model.json", bytes: text(JSON.stringify({ ...manifest, weightsManifest: [{ ...manifest.weightsManifest[0], paths: ["../../../../../../../../tmp/evil-shard.bin"] }] })) },
      { name: "evil-shard.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    expect(["ok", "INVALID_MODEL"]).toContain(deeper.outcome);
    expect(existsSync("/tmp/evil-shard.bin")).toBe(false);
  });

  it("gives a removed viewer and an outsider no download of A's files", async () => {
    for (const client of [b, c, new TestClient(stack.runtime.url)]) {
      const answer = await client.request(`query ($id: ID!) { dataset(id: $id) { downloads { url } } }`, { id: a.datasetId });
      expect(answer.data?.dataset ?? null).toBeNull();
      expect(answer.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    }
  });

  it("sends every page of the app with a strict policy", async () => {
    for (const route of ["/", "/projects/anything", "/graphql"]) {
      const answer = await raw(stack.runtime.url, "GET", route, { headers: { accept: "text/html" } });
      const csp = String(answer.headers["content-security-policy"]);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(answer.headers["x-frame-options"]).toBe("DENY");
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(answer.headers["referrer-policy"]).toBe("same-origin");
    }
  });

  it("left every byte of A's objects as it was, and wrote nothing outside the store", async () => {
    const now = new Map([...(await checksums(store))].filter(([key]) => key.startsWith(`projects${path.sep}${a.projectId}`)));
    expect(now).toEqual(aObjects);
    const added = (await fs.readdir(path.dirname(dataDir))).filter((name) => !outside.includes(name) && /evil/.test(name));
    expect(added).toEqual([]);
    // The files under the data folder are the store's, PostgreSQL's and the launcher's own.
    const top = (await fs.readdir(dataDir)).filter((name) => /evil|passwd/.test(name));
    expect(top).toEqual([]);
    expect(aObjects.size).toBe(3);
  });
});
