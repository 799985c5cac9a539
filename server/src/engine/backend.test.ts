/** Starting the backend: jobs of one worker that start at the same moment share one start. */
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { activeBackend, initBackend } from "./backend.js";

describe("initBackend", () => {
  it("gives overlapping starts of the wasm backend one backend, and every caller a working one", async () => {
    const started = await Promise.all([initBackend("wasm"), initBackend("wasm"), initBackend("auto"), initBackend("wasm")]);
    expect(started).toEqual(["wasm", "wasm", "wasm", "wasm"]);
    expect(activeBackend()).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    const product = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
    expect(Array.from(await product.data())).toEqual([11]);
  });
});
