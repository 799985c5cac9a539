/**
 * A loss named in its model's own vocabulary. The engine keeps Keras's names for the losses it
 * computes; a PyTorch model (exported to ONNX) was trained with nn.CrossEntropyLoss or nn.BCELoss,
 * and a researcher reading its page should see those words, not Keras's.
 */
const PYTORCH: Readonly<Record<string, string>> = {
  sparse_categorical_crossentropy: "cross-entropy",
  categorical_crossentropy: "cross-entropy",
  binary_crossentropy: "binary cross-entropy",
  mean_squared_error: "mean squared error",
  mse: "mean squared error",
};

/** @param format the model's files: "onnx" or "tfjs-layers" (Keras's names are its own). */
export function lossName(format: string, loss: string | null): string | null {
  if (loss === null) return null;
  return format === "onnx" ? (PYTORCH[loss] ?? loss.replace(/_/g, " ")) : loss;
}
