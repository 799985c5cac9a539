import { useState } from "react";

/**
 * Whether deck has drawn the current layers: "drawing" until a frame of them is on the canvas,
 * then "drawn". Plots show it as `data-state`, for anyone waiting on a plot (a test, an export);
 * pass `onAfterRender` to deck. A new layers object (new data, new scale) starts "drawing" again.
 */
export function useDrawnState(layers: unknown, onRendered?: () => void): { state: "drawing" | "drawn"; onAfterRender: () => void } {
  const [drawn, setDrawn] = useState<unknown>(null);
  return {
    state: drawn === layers ? "drawn" : "drawing",
    onAfterRender: () => {
      if (drawn !== layers) setDrawn(layers);
      onRendered?.();
    },
  };
}
