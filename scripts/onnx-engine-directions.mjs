// Prints, as JSON, the random directions the engine (and so the service) makes for an ONNX model
// with a given seed and its default normalization (filter, ignore biasbn), in PyTorch's layout:
// { x: { "conv1.weight": [...] }, y: { ... } }. Used by scripts/make-onnx-fixtures.py so that
// PyTorch evaluates the same plane a surface of the service evaluates. Needs `npm run build`.
//   node scripts/onnx-engine-directions.mjs model.onnx [seed]
import { initBackend } from "../server/dist/engine/backend.js";
import { loadModel } from "../server/dist/engine/network.js";
import { toOnnxLayout } from "../server/dist/engine/onnx/translate.js";
import { surfacePlane } from "../server/dist/engine/surface.js";

const [file, seedText = "0"] = process.argv.slice(2);
await initBackend("cpu");
const model = await loadModel(file);
const axis = { min: -1, max: 1, count: 3 };
const plane = surfacePlane(model, { x: axis, y: axis, directions: { seed: Number(seedText) } });
const named = (direction) => Object.fromEntries(model.params.map((p, i) => [p.name, Array.from(toOnnxLayout(direction[i], model.onnx.layouts[i]))]));
process.stdout.write(JSON.stringify({ x: named(plane.dx), y: named(plane.dy) }));
