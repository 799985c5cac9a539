/**
 * Bounds on the size of an ONNX graph the engine reads. Every grid point of a surface is a full
 * pass of the network over the evaluation set, and translation builds one step per node, so a
 * graph of tens of thousands of nodes would hold a worker (and an upload's validation) for long
 * for no model anyone studies here: ResNet-152 as PyTorch exports it with its BatchNorm kept has
 * roughly 520 nodes and 780 initializers, and its longest path is roughly 560 nodes. A graph beyond a bound is refused before anything is
 * translated, saying which bound and by how much.
 */
import { EngineInputError } from "../errors.js";
import type { OnnxGraph } from "./proto.js";

/** Most nodes in a graph (every operator, Constant and Identity nodes included). */
export const MAX_ONNX_NODES = 5000;
/** Most initializers (weights, biases, BatchNorm statistics, constants) in a graph. */
export const MAX_ONNX_INITIALIZERS = 2000;
/** Longest chain of nodes from the graph's inputs to any value, counted in nodes. */
export const MAX_ONNX_DEPTH = 1000;

/** The number of nodes on the longest path through the graph (0 for a graph without nodes). */
export function graphDepth(graph: OnnxGraph): number {
  const nodes = graph.node ?? [];
  // Kahn's order over the nodes, so a file listing nodes out of order is measured the same.
  const producer = new Map<string, number>();
  nodes.forEach((node, i) => {
    for (const output of node.output ?? []) if (output) producer.set(output, i);
  });
  const consumers: number[][] = nodes.map(() => []);
  const waiting = nodes.map((node, i) => {
    const deps = new Set((node.input ?? []).map((input) => producer.get(input)).filter((p): p is number => p !== undefined && p !== i));
    for (const dep of deps) consumers[dep]!.push(i);
    return deps.size;
  });
  const depth = new Array<number>(nodes.length).fill(1);
  const ready = waiting.flatMap((n, i) => (n === 0 ? [i] : []));
  let deepest = 0;
  while (ready.length > 0) {
    const i = ready.pop()!;
    deepest = Math.max(deepest, depth[i]!);
    for (const next of consumers[i]!) {
      depth[next] = Math.max(depth[next]!, depth[i]! + 1);
      if (--waiting[next]! === 0) ready.push(next);
    }
  }
  // Nodes on a cycle never become ready; the translator refuses their inputs as undefined.
  return deepest;
}

/** Throws EngineInputError naming `label` when the graph is beyond one of the bounds above. */
export function assertGraphBounds(graph: OnnxGraph, label: string): void {
  const nodes = (graph.node ?? []).length;
  if (nodes > MAX_ONNX_NODES) {
    throw new EngineInputError(`${label}: the ONNX graph has ${nodes} nodes; the engine reads at most ${MAX_ONNX_NODES}`);
  }
  const initializers = (graph.initializer ?? []).length;
  if (initializers > MAX_ONNX_INITIALIZERS) {
    throw new EngineInputError(`${label}: the ONNX graph has ${initializers} initializers; the engine reads at most ${MAX_ONNX_INITIALIZERS}`);
  }
  const depth = graphDepth(graph);
  if (depth > MAX_ONNX_DEPTH) {
    throw new EngineInputError(`${label}: the ONNX graph is ${depth} nodes deep (its longest path from input to output); the engine reads graphs at most ${MAX_ONNX_DEPTH} deep`);
  }
}
