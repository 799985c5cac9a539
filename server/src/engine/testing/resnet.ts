/**
 * A ResNet-20-style CIFAR network (3x32x32 in, 10 classes; a 3x3 stem of 16 channels, three
 * stages of three basic blocks with 16, 32 and 64 channels, projection shortcuts where the shape
 * changes, BatchNorm after every convolution, global average pooling, a linear layer) built twice
 * with the same seeded weights: as the ONNX file PyTorch would export for it (NCHW, OIHW, Gemm with
 * transB, BatchNorm kept) and as its TF.js Layers twin (NHWC, HWIO). The benchmark compares the
 * two paths on the same network without needing PyTorch.
 */
import * as tfl from "@tensorflow/tfjs-layers";
import * as tf from "@tensorflow/tfjs-core";
import { permute } from "../onnx/translate.js";
import { SeededRandom } from "../rng.js";
import { resnetBatchNormOf, resnetLayout, resnetOnnx } from "../zoo-resnet.js";

/** ResNet-20: three blocks per stage, 16 channels, shortcuts, RGB input. */
const SPEC = { blocks: 3, width: 16, residual: true } as const;

function architecture() {
  return resnetLayout(SPEC, 3);
}

const bnOf = resnetBatchNormOf;

interface Weights {
  /** Conv kernels HWIO; BatchNorm gamma, beta, mean, variance; fc kernel [64, 10] and bias. */
  readonly conv: Map<string, Float32Array>;
  readonly bn: Map<string, [Float32Array, Float32Array, Float32Array, Float32Array]>;
  readonly fcKernel: Float32Array;
  readonly fcBias: Float32Array;
}

function weights(seed: number): Weights {
  const rng = new SeededRandom(seed, 5);
  const { convs } = architecture();
  const conv = new Map<string, Float32Array>();
  const bn = new Map<string, [Float32Array, Float32Array, Float32Array, Float32Array]>();
  const fill = (n: number, f: () => number) => Float32Array.from({ length: n }, f);
  for (const c of convs) {
    const scale = Math.sqrt(2 / (c.k * c.k * c.cin));
    conv.set(c.name, fill(c.k * c.k * c.cin * c.cout, () => rng.nextGaussian() * scale));
    bn.set(bnOf(c.name), [
      fill(c.cout, () => 0.8 + 0.4 * rng.nextFloat()),
      fill(c.cout, () => 0.1 * rng.nextGaussian()),
      fill(c.cout, () => 0.1 * rng.nextGaussian()),
      fill(c.cout, () => 0.5 + rng.nextFloat()),
    ]);
  }
  return { conv, bn, fcKernel: fill(64 * 10, () => rng.nextGaussian() / 8), fcBias: fill(10, () => 0.01 * rng.nextGaussian()) };
}

/** The network as an ONNX file (opset 17), as torch.onnx.export writes it with BatchNorm kept. */
export function resnet20Onnx(seed = 1): Uint8Array {
  const w = weights(seed);
  return resnetOnnx({ ...SPEC, downsample: 1 }, [3, 32, 32], 10, {
    conv: (c) => permute(w.conv.get(c.name)!, [c.k, c.k, c.cin, c.cout], [3, 2, 0, 1]), // HWIO -> OIHW
    batchNorm: (name) => w.bn.get(name)!,
    fc: () => ({ weight: permute(w.fcKernel, [64, 10], [1, 0]), bias: w.fcBias }),
  }, "resnet20");
}

/** The same network as a TF.js Layers model (channels-last), logits out. */
export function resnet20Layers(seed = 1): tfl.LayersModel {
  const w = weights(seed);
  const { convs, blocks } = architecture();
  const spec = new Map(convs.map((c) => [c.name, c]));
  const values: [tfl.layers.Layer, tf.Tensor[]][] = [];
  const conv = (name: string, input: tfl.SymbolicTensor): tfl.SymbolicTensor => {
    const c = spec.get(name)!;
    // PyTorch pads 1 on every side; with stride 2 that is not TF's "same" (which pads after only).
    const padded = c.k === 3 && c.stride === 2 ? (tfl.layers.zeroPadding2d({ padding: 1 }).apply(input) as tfl.SymbolicTensor) : input;
    const layer = tfl.layers.conv2d({ filters: c.cout, kernelSize: c.k, strides: c.stride, padding: c.k === 3 && c.stride === 1 ? "same" : "valid", useBias: false, name: name.replace(/\./g, "_") });
    const out = layer.apply(padded) as tfl.SymbolicTensor;
    values.push([layer, [tf.tensor(w.conv.get(name)!, [c.k, c.k, c.cin, c.cout])]]);
    const bnLayer = tfl.layers.batchNormalization({ epsilon: 1e-5, name: bnOf(name).replace(/\./g, "_") });
    const normed = bnLayer.apply(out) as tfl.SymbolicTensor;
    values.push([bnLayer, w.bn.get(bnOf(name))!.map((v) => tf.tensor(v, [c.cout]))]);
    return normed;
  };
  const relu = (x: tfl.SymbolicTensor) => tfl.layers.activation({ activation: "relu" }).apply(x) as tfl.SymbolicTensor;
  const input = tfl.input({ shape: [32, 32, 3] });
  let x = relu(conv("conv1", input));
  for (const b of blocks) {
    const h = conv(b.conv2, relu(conv(b.conv1, x)));
    const skip = b.shortcut ? conv(b.shortcut, x) : x;
    x = relu(tfl.layers.add().apply([h, skip]) as tfl.SymbolicTensor);
  }
  const pooled = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  const fc = tfl.layers.dense({ units: 10, name: "fc" });
  const out = fc.apply(pooled) as tfl.SymbolicTensor;
  values.push([fc, [tf.tensor(w.fcKernel, [64, 10]), tf.tensor(w.fcBias, [10])]]);
  const model = tfl.model({ inputs: input, outputs: out });
  for (const [layer, tensors] of values) {
    layer.setWeights(tensors);
    for (const t of tensors) t.dispose();
  }
  return model;
}
