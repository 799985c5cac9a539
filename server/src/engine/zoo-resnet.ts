/**
 * The zoo's residual networks and their plain twins, in the CIFAR ResNet family the paper studies
 * (Li et al. 2018, section 5; He et al. 2016): a 3x3 stem of `width` channels, three stages of
 * `blocks` basic blocks (two 3x3 convolutions, BatchNorm after each) with width, 2 x width and
 * 4 x width channels, the second and third stage starting with stride 2, global average pooling
 * and a linear layer: 6 x blocks + 2 layers (blocks 3, 9, 18: ResNet-20, 56, 110). With
 * `residual` each block adds its input back (a 1x1 projection with BatchNorm where the shape
 * changes); without, the same network has no shortcuts ("ResNet-56-noshort").
 *
 * The network is written as the ONNX graph PyTorch exports for it (NCHW input, OIHW kernels,
 * BatchNorm kept, Gemm with transB), so it trains with the engine's own trainer on every backend
 * (the WebAssembly backend included) and its checkpoints are ONNX files like an uploaded PyTorch
 * model's. `downsample` > 1 average-pools the input first (28x28 MNIST to 14x14), which keeps the
 * deep networks affordable on a CPU without changing what the comparison is about.
 *
 * Initialisation is the ResNet authors': kernels ~ N(0, 2 / (k * k * out channels)), BatchNorm
 * gamma 1 and beta 0 (running mean 0, variance 1), the linear layer as PyTorch's default
 * (uniform within 1 / sqrt(fan in)), all from one seeded stream.
 */
import { EngineInputError } from "./errors.js";
import { resnetProblem } from "./options.js";
import { encodeOnnx, floatTensor, type OnnxAttribute, type OnnxNode, type OnnxTensor } from "./onnx/proto.js";
import { SeededRandom } from "./rng.js";

export interface ResnetSpec {
  /** Basic blocks per stage (depth 6 x blocks + 2). */
  blocks: number;
  /** Channels of the stem and first stage; the later stages have 2x and 4x. */
  width: number;
  /** With shortcuts (ResNet) or without (the plain twin). */
  residual: boolean;
  /** Average-pool the input by this factor first (1: none). */
  downsample: number;
}

/** One convolution of the network: its PyTorch name, channels, kernel size and stride. */
export interface ResnetConv {
  name: string;
  cin: number;
  cout: number;
  k: number;
  stride: number;
}

/** The convolutions in order, and the blocks that use them (names as PyTorch's state dict). */
export function resnetLayout(spec: Pick<ResnetSpec, "blocks" | "width" | "residual">, channels: number): {
  convs: ResnetConv[];
  blocks: { conv1: string; conv2: string; shortcut: string | null }[];
} {
  const convs: ResnetConv[] = [{ name: "conv1", cin: channels, cout: spec.width, k: 3, stride: 1 }];
  const blocks: { conv1: string; conv2: string; shortcut: string | null }[] = [];
  let cin = spec.width;
  [spec.width, 2 * spec.width, 4 * spec.width].forEach((cout, stage) => {
    for (let b = 0; b < spec.blocks; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const prefix = `layer${stage + 1}.${b}`;
      convs.push({ name: `${prefix}.conv1`, cin, cout, k: 3, stride }, { name: `${prefix}.conv2`, cin: cout, cout, k: 3, stride: 1 });
      const shortcut = spec.residual && (stride !== 1 || cin !== cout) ? `${prefix}.shortcut.0` : null;
      if (shortcut) convs.push({ name: shortcut, cin, cout, k: 1, stride });
      blocks.push({ conv1: `${prefix}.conv1`, conv2: `${prefix}.conv2`, shortcut });
      cin = cout;
    }
  });
  return { convs, blocks };
}

/** The BatchNorm that follows a convolution, by PyTorch's naming. */
export const resnetBatchNormOf = (conv: string): string => (conv.endsWith(".shortcut.0") ? conv.replace(/\.0$/, ".1") : conv.replace(/conv(\d)$/, "bn$1"));

/** The weights of a network: kernels OIHW by convolution name; BatchNorm [gamma, beta, mean, variance]; fc [classes, features] and bias. */
export interface ResnetWeights {
  conv(c: ResnetConv): Float32Array;
  batchNorm(name: string, channels: number): [Float32Array, Float32Array, Float32Array, Float32Array];
  fc(features: number, classes: number): { weight: Float32Array; bias: Float32Array };
}

/** The ResNet authors' initialisation from one seeded stream (see the file's comment). */
export function resnetInit(seed: number): ResnetWeights {
  const rng = new SeededRandom(seed, 11);
  const fill = (n: number, f: () => number) => Float32Array.from({ length: n }, f);
  return {
    conv: (c) => {
      const std = Math.sqrt(2 / (c.k * c.k * c.cout));
      return fill(c.cout * c.cin * c.k * c.k, () => rng.nextGaussian() * std);
    },
    batchNorm: (_, n) => [fill(n, () => 1), fill(n, () => 0), fill(n, () => 0), fill(n, () => 1)],
    fc: (features, classes) => {
      const bound = 1 / Math.sqrt(features);
      return { weight: fill(classes * features, () => (2 * rng.nextFloat() - 1) * bound), bias: fill(classes, () => (2 * rng.nextFloat() - 1) * bound) };
    },
  };
}

/**
 * The network as ONNX bytes (opset 17) for images of `imageShape` = [channels, height, width]
 * (NCHW, as PyTorch) and `classes` classes, logits out.
 */
export function resnetOnnx(spec: ResnetSpec, imageShape: readonly [number, number, number], classes: number, weights: ResnetWeights, name = "resnet"): Uint8Array {
  const [channels, height, width] = imageShape;
  const problem = resnetProblem(spec, imageShape);
  if (problem) throw new EngineInputError(problem);
  const { convs, blocks } = resnetLayout(spec, channels);
  const byName = new Map(convs.map((c) => [c.name, c]));
  const initializers: OnnxTensor[] = [];
  const nodes: OnnxNode[] = [];
  const ints = (attr: string, values: number[]): OnnxAttribute => ({ name: attr, type: 7, ints: values });
  const node = (op: string, nodeName: string, inputs: string[], attribute: OnnxAttribute[] = []): string => {
    const output = `/${nodeName}/${op}_output_0`;
    nodes.push({ name: `/${nodeName}/${op}`, op_type: op, input: inputs, output: [output], attribute });
    return output;
  };
  const conv = (convName: string, input: string): string => {
    const c = byName.get(convName)!;
    initializers.push(floatTensor(`${convName}.weight`, [c.cout, c.cin, c.k, c.k], weights.conv(c)));
    const p = (c.k - 1) / 2;
    const out = node("Conv", convName, [input, `${convName}.weight`], [ints("kernel_shape", [c.k, c.k]), ints("strides", [c.stride, c.stride]), ints("pads", [p, p, p, p]), ints("dilations", [1, 1]), { name: "group", type: 2, i: 1 }]);
    const bn = resnetBatchNormOf(convName);
    const [gamma, beta, mean, variance] = weights.batchNorm(bn, c.cout);
    initializers.push(floatTensor(`${bn}.weight`, [c.cout], gamma), floatTensor(`${bn}.bias`, [c.cout], beta), floatTensor(`${bn}.running_mean`, [c.cout], mean), floatTensor(`${bn}.running_var`, [c.cout], variance));
    // PyTorch's momentum 0.1 is ONNX's 0.9 (running = 0.9 running + 0.1 batch).
    return node("BatchNormalization", bn, [out, `${bn}.weight`, `${bn}.bias`, `${bn}.running_mean`, `${bn}.running_var`], [{ name: "epsilon", type: 1, f: 1e-5 }, { name: "momentum", type: 1, f: 0.9 }]);
  };
  let x = "input";
  if (spec.downsample > 1) x = node("AveragePool", "downsample", [x], [ints("kernel_shape", [spec.downsample, spec.downsample]), ints("strides", [spec.downsample, spec.downsample]), ints("pads", [0, 0, 0, 0])]);
  x = node("Relu", "stem", [conv("conv1", x)]);
  for (const b of blocks) {
    const block = b.conv1.replace(/\.conv1$/, "");
    const h = conv(b.conv2, node("Relu", `${block}/a`, [conv(b.conv1, x)]));
    const sum = spec.residual ? node("Add", block, [h, b.shortcut ? conv(b.shortcut, x) : x]) : h;
    x = node("Relu", `${block}/b`, [sum]);
  }
  const features = 4 * spec.width;
  const pooled = node("Flatten", "flatten", [node("GlobalAveragePool", "avgpool", [x])], [{ name: "axis", type: 2, i: 1 }]);
  const fc = weights.fc(features, classes);
  initializers.push(floatTensor("fc.weight", [classes, features], fc.weight), floatTensor("fc.bias", [classes], fc.bias));
  nodes.push({ name: "/fc/Gemm", op_type: "Gemm", input: [pooled, "fc.weight", "fc.bias"], output: ["output"], attribute: [{ name: "alpha", type: 1, f: 1 }, { name: "beta", type: 1, f: 1 }, { name: "transB", type: 2, i: 1 }] });
  const tensorType = (dims: (number | string)[]) => ({ tensor_type: { elem_type: 1, shape: { dim: dims.map((d) => (typeof d === "string" ? { dim_param: d } : { dim_value: d })) } } });
  return encodeOnnx({
    ir_version: 8,
    producer_name: "lossatlas-zoo",
    opset_import: [{ domain: "", version: 17 }],
    graph: { name, node: nodes, initializer: initializers, input: [{ name: "input", type: tensorType(["batch", channels, height, width]) }], output: [{ name: "output", type: tensorType(["batch", classes]) }] },
  });
}
