import { describe, expect, it } from "vitest";
import { MAX_AUTO_WORKERS, detectCapabilities, isInstalled, workersToLaunch } from "./capabilities.js";

describe("how many workers start launches", () => {
  it("launches the number asked for, whatever the backend", () => {
    expect(workersToLaunch(0, "wasm", 16)).toBe(0);
    expect(workersToLaunch(3, "cpu", 2)).toBe(3);
    expect(workersToLaunch(12, "auto", 2)).toBe(12);
  });

  it("with auto, one per core for the one-thread backends, at most eight", () => {
    expect(workersToLaunch("auto", "wasm", 2)).toBe(2);
    expect(workersToLaunch("auto", "cpu", 1)).toBe(1);
    expect(workersToLaunch("auto", "wasm", 64)).toBe(MAX_AUTO_WORKERS);
    expect(MAX_AUTO_WORKERS).toBe(8);
  });

  it("with auto, one for TensorFlow's native backends, and one when the backend asked for is missing", () => {
    // On a machine without the native bindings (these packages download libtensorflow at install),
    // auto resolves to WebAssembly; with them, to one process that uses every core or the GPU.
    const native = isInstalled("@tensorflow/tfjs-node-gpu") || isInstalled("@tensorflow/tfjs-node");
    expect(detectCapabilities("auto").backend).toBe(native ? (isInstalled("@tensorflow/tfjs-node-gpu") ? "tensorflow-gpu" : "tensorflow") : "wasm");
    expect(workersToLaunch("auto", "auto", 4)).toBe(native ? 1 : 4);
    // Installed: one native process; missing: one worker, which reports the missing package.
    expect(workersToLaunch("auto", "tensorflow", 4)).toBe(1);
  });
});
