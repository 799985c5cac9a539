/**
 * ONNX BatchNormalization: always the running statistics, as net.eval() evaluates.
 */
import type { TranslationContext } from "../context.js";
import { type OnnxNode, floatAttr } from "../proto.js";

/** BatchNormalization in inference form, over channels (images) or features. */
export function translateBatchNormalization(n: OnnxNode, ctx: TranslationContext): void {
  const { act, set, addStep, toPlain, toNhwc, param } = ctx;
  ctx.hasBatchNorm = true;
  const raw = act(n, 0);
  const x = raw.shape.length === 3 ? toNhwc(raw, n) : toPlain(raw);
  const channels = x.layout === "nhwc" ? x.shape[2]! : x.shape[0]!;
  const names = [1, 2, 3, 4].map((i) => n.input?.[i] ?? "");
  const gamma = param(n, names[0]!, "gamma", "batchnorm", [channels], [0]);
  const beta = param(n, names[1]!, "beta", "batchnorm", [channels], [0]);
  const mean = param(n, names[2]!, "moving_mean", "batchnorm", [channels], [0], true);
  const variance = param(n, names[3]!, "moving_variance", "batchnorm", [channels], [0], true);
  // Always the running statistics, as net.eval() evaluates (also for files exported in training
  // mode). The momentum (ONNX's: running = m running + (1 - m) batch; PyTorch exports 1 - its
  // own) is for training (train-network.ts).
  set(n, 0, addStep(n, "BatchNormalization", { axis: x.layout === "nhwc" ? -1 : 1, epsilon: floatAttr(n, "epsilon", 1e-5), momentum: floatAttr(n, "momentum", 0.9) }, { gamma, beta, moving_mean: mean, moving_variance: variance }, [x], x.layout));
}
