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
import { encodeOnnx, floatTensor, type OnnxNode, type OnnxTensor } from "../onnx/proto.js";
import { permute } from "../onnx/translate.js";
import { SeededRandom } from "../rng.js";

interface ConvSpec { name: string; cin: number; cout: number; k: number; stride: number }

/** The convolutions in order, and the blocks that use them. */
function architecture(): { convs: ConvSpec[]; blocks: { conv1: string; conv2: string; shortcut: string | null }[] } {
  const convs: ConvSpec[] = [{ name: "conv1", cin: 3, cout: 16, k: 3, stride: 1 }];
  const blocks: { conv1: string; conv2: string; shortcut: string | null }[] = [];
  let cin = 16;
  [16, 32, 64].forEach((cout, stage) => {
    for (let b = 0; b < 3; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const prefix = `layer${stage + 1}.${b}`;
      convs.push({ name: `${prefix}.conv1`, cin, cout, k: 3, stride }, { name: `${prefix}.conv2`, cin: cout, cout, k: 3, stride: 1 });
      const shortcut = stride !== 1 || cin !== cout ? `${prefix}.shortcut.0` : null;
      if (shortcut) convs.push({ name: shortcut, cin, cout, k: 1, stride });
      blocks.push({ conv1: `${prefix}.conv1`, conv2: `${prefix}.conv2`, shortcut });
      cin = cout;
    }
  });
  return { convs, blocks };
}

const bnOf = (conv: string) => (conv.endsWith(".shortcut.0") ? conv.replace(/\.0$/, ".1") : conv.replace(/conv(\d)$/, "bn$1"));

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
  const { convs, blocks } = architecture();
  const spec = new Map(convs.map((c) => [c.name, c]));
  const initializers: OnnxTensor[] = [];
  const nodes: OnnxNode[] = [];
  const ints = (name: string, values: number[]) => ({ name, type: 7, ints: values });
  const conv = (name: string, input: string): string => {
    const c = spec.get(name)!;
    const kernel = permute(w.conv.get(name)!, [c.k, c.k, c.cin, c.cout], [3, 2, 0, 1]); // HWIO -> OIHW
    initializers.push(floatTensor(`${name}.weight`, [c.cout, c.cin, c.k, c.k], kernel));
    const p = (c.k - 1) / 2;
    nodes.push({ name: `/${name}/Conv`, op_type: "Conv", input: [input, `${name}.weight`], output: [`/${name}/Conv_output_0`],
      attribute: [ints("kernel_shape", [c.k, c.k]), ints("strides", [c.stride, c.stride]), ints("pads", [p, p, p, p]), ints("dilations", [1, 1]), { name: "group", type: 2, i: 1 }] });
    const bn = bnOf(name);
    const [gamma, beta, mean, variance] = w.bn.get(bn)!;
    initializers.push(floatTensor(`${bn}.weight`, [c.cout], gamma), floatTensor(`${bn}.bias`, [c.cout], beta),
      floatTensor(`${bn}.running_mean`, [c.cout], mean), floatTensor(`${bn}.running_var`, [c.cout], variance));
    nodes.push({ name: `/${bn}/BatchNormalization`, op_type: "BatchNormalization", input: [`/${name}/Conv_output_0`, `${bn}.weight`, `${bn}.bias`, `${bn}.running_mean`, `${bn}.running_var`],
      output: [`/${bn}/BatchNormalization_output_0`], attribute: [{ name: "epsilon", type: 1, f: 1e-5 }, { name: "momentum", type: 1, f: 0.9 }] });
    return `/${bn}/BatchNormalization_output_0`;
  };
  const relu = (input: string, name: string): string => {
    nodes.push({ name: `/${name}/Relu`, op_type: "Relu", input: [input], output: [`/${name}/Relu_output_0`] });
    return `/${name}/Relu_output_0`;
  };
  let x = relu(conv("conv1", "input"), "stem");
  for (const b of blocks) {
    const name = b.conv1.replace(/\.conv1$/, "");
    const h = conv(b.conv2, relu(conv(b.conv1, x), `${name}/a`));
    const skip = b.shortcut ? conv(b.shortcut, x) : x;
    nodes.push({ name: `/${name}/Add`, op_type: "Add", input: [h, skip], output: [`/${name}/Add_output_0`] });
    x = relu(`/${name}/Add_output_0`, `${name}/b`);
  }
  nodes.push({ name: "/avgpool/GlobalAveragePool", op_type: "GlobalAveragePool", input: [x], output: ["/avgpool/GlobalAveragePool_output_0"] });
  nodes.push({ name: "/Flatten", op_type: "Flatten", input: ["/avgpool/GlobalAveragePool_output_0"], output: ["/Flatten_output_0"], attribute: [{ name: "axis", type: 2, i: 1 }] });
  initializers.push(floatTensor("fc.weight", [10, 64], permute(w.fcKernel, [64, 10], [1, 0])), floatTensor("fc.bias", [10], w.fcBias));
  nodes.push({ name: "/fc/Gemm", op_type: "Gemm", input: ["/Flatten_output_0", "fc.weight", "fc.bias"], output: ["output"],
    attribute: [{ name: "alpha", type: 1, f: 1 }, { name: "beta", type: 1, f: 1 }, { name: "transB", type: 2, i: 1 }] });
  const tensorType = (dims: (number | string)[]) => ({ tensor_type: { elem_type: 1, shape: { dim: dims.map((d) => (typeof d === "string" ? { dim_param: d } : { dim_value: d })) } } });
  return encodeOnnx({
    ir_version: 8,
    producer_name: "lossatlas-bench",
    opset_import: [{ domain: "", version: 17 }],
    graph: { name: "resnet20", node: nodes, initializer: initializers, input: [{ name: "input", type: tensorType(["batch", 3, 32, 32]) }], output: [{ name: "output", type: tensorType(["batch", 10]) }] },
  });
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
