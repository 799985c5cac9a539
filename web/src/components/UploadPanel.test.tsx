import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultName, UploadPanel } from "./UploadPanel";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** An XMLHttpRequest that reports half, then all, of the body and answers 200. */
class FakeXhr {
  static puts: string[] = [];
  upload: { onprogress: ((e: { loaded: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  status = 200;
  private url = "";
  open(_method: string, url: string) { this.url = url; }
  setRequestHeader() {}
  send(body: Blob) {
    FakeXhr.puts.push(this.url);
    setTimeout(() => {
      this.upload.onprogress?.({ loaded: body.size / 2 });
      this.onload?.();
    }, 5);
  }
}

const answer = (data: unknown) => new Response(JSON.stringify({ data }));

describe("UploadPanel", () => {
  it("sends each file to its presigned URL with a progress bar, and shows what validation read", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    const fetchMock = vi.fn()
      .mockResolvedValueOnce(answer({ requestUpload: { ok: true, error: null, upload: { id: "u1", files: [{ name: "model.json", url: "/storage/a", contentType: "application/json" }, { name: "w.bin", url: "/storage/b", contentType: "application/octet-stream" }] } } }))
      .mockResolvedValueOnce(answer({ completeUpload: { ok: true, error: null, model: { id: "m", name: "mlp", parameterCount: 67, inputShape: [4], outputShape: [3], loss: "sparse_categorical_crossentropy", layers: [{}, {}], createdAt: "" }, dataset: null } }));
    vi.stubGlobal("fetch", fetchMock);
    const uploaded = vi.fn();
    render(<UploadPanel projectId="p1" onUploaded={uploaded} />);
    fireEvent.change(screen.getByTestId("upload-input"), { target: { files: [new File(["{}"], "model.json"), new File([new Uint8Array(16)], "w.bin")] } });
    fireEvent.click(screen.getByText("Upload"));
    await waitFor(() => expect(uploaded).toHaveBeenCalled());
    expect(FakeXhr.puts).toEqual(["/storage/a", "/storage/b"]);
    expect(screen.getByRole("progressbar", { name: "Upload of w.bin" }).getAttribute("aria-valuenow")).toBe("100");
    expect(screen.getByTestId("upload-result").textContent).toContain("67 parameters");
    const requested = JSON.parse(fetchMock.mock.calls[0]![1].body as string).variables.input;
    expect(requested).toMatchObject({ projectId: "p1", kind: "MODEL", files: [{ name: "model.json", size: 2 }, { name: "w.bin", size: 16 }] });
  });

  it("says in plain words why the server refused the files", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    vi.stubGlobal("fetch", vi.fn()
      .mockResolvedValueOnce(answer({ requestUpload: { ok: true, error: null, upload: { id: "u1", files: [{ name: "x.npy", url: "/storage/x", contentType: "application/octet-stream" }] } } }))
      .mockResolvedValueOnce(answer({ completeUpload: { ok: false, error: { code: "INVALID_DATASET", message: "x.npy has 10 rows but y.npy has 9", field: null } } })));
    render(<UploadPanel projectId="p1" onUploaded={() => {}} />);
    fireEvent.change(screen.getByTestId("upload-input"), { target: { files: [new File([new Uint8Array(8)], "x.npy")] } });
    expect((screen.getByLabelText("Kind") as HTMLSelectElement).value).toBe("DATASET");
    fireEvent.click(screen.getByText("Upload"));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("x.npy has 10 rows but y.npy has 9"));
  });

  it("starts over with every new choice of files: the name and kind come from the new files", () => {
    render(<UploadPanel projectId="p1" onUploaded={() => {}} />);
    fireEvent.change(screen.getByTestId("upload-input"), { target: { files: [new File(["{}"], "iris-mlp-40ep.zip")] } });
    expect((screen.getByLabelText("Upload name") as HTMLInputElement).value).toBe("iris-mlp-40ep");
    expect((screen.getByLabelText("Kind") as HTMLSelectElement).value).toBe("MODEL");
    fireEvent.change(screen.getByTestId("upload-input"), { target: { files: [new File(["a,b"], "iris.csv")] } });
    expect((screen.getByLabelText("Upload name") as HTMLInputElement).value).toBe("iris");
    expect((screen.getByLabelText("Kind") as HTMLSelectElement).value).toBe("DATASET");
  });

  it("names uploads after their folder or a telling file name, never just \"upload\"", () => {
    const file = (name: string, webkitRelativePath = "") => ({ name, webkitRelativePath });
    expect(defaultName([file("model.json", "resnet-20/model.json"), file("group1-shard1of1.bin", "resnet-20/group1-shard1of1.bin")], "MODEL")).toBe("resnet-20");
    expect(defaultName([file("x.npy"), file("y.npy")], "DATASET")).toBe("dataset from x.npy, y.npy");
    expect(defaultName([file("model.json"), file("group1-shard1of1.bin")], "MODEL")).toBe("model from model.json, group1-shard1of1.bin");
    expect(defaultName([file("digits_train.npz")], "DATASET")).toBe("digits_train");
  });

  it("takes an ONNX file for a model, named after it", () => {
    render(<UploadPanel projectId="p1" onUploaded={() => undefined} />);
    fireEvent.change(screen.getByTestId("upload-input"), { target: { files: [new File([new Uint8Array([8, 7])], "resnet20-cifar.onnx")] } });
    expect((screen.getByLabelText("Kind") as HTMLSelectElement).value).toBe("MODEL");
    expect((screen.getByLabelText("Upload name") as HTMLInputElement).value).toBe("resnet20-cifar");
  });
});
