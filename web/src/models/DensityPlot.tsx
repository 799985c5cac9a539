/** The Hessian's eigenvalue density (stochastic Lanczos quadrature) on a deck.gl canvas. */
import { OrthographicView } from "@deck.gl/core";
import DeckGL from "@deck.gl/react";
import { useMemo } from "react";
import { useDrawnState } from "../plot/use-drawn";
import { useWidth } from "../plot/use-width";
import { densityGeometry, densityLayers } from "./density-layers";

const VIEW = new OrthographicView({ id: "density", flipY: false });

export function DensityPlot({ x, density, nodes, height = 280 }: { x: number[]; density: number[]; nodes: number[]; height?: number }) {
  const [box, width] = useWidth<HTMLDivElement>();
  const layers = useMemo(() => (width ? densityLayers("density", densityGeometry(x, density, nodes, width, height)) : []), [x, density, nodes, width, height]);
  const drawn = useDrawnState(layers);
  const viewState = { target: [width / 2, height / 2, 0] as [number, number, number], zoom: 0 };
  return (
    <figure className="curve">
      <div ref={box} className="plot" style={{ height }} role="img" aria-label={`Eigenvalue density of the Hessian from ${Math.min(...x).toPrecision(3)} to ${Math.max(...x).toPrecision(3)}`} data-testid="density-plot" data-state={drawn.state}>
        {width > 0 && <DeckGL views={VIEW} viewState={viewState as never} controller={false} layers={layers} onAfterRender={drawn.onAfterRender} style={{ position: "absolute", inset: "0" }} />}
      </div>
      <figcaption className="small muted">Smoothed with a Gaussian; orange marks: quadrature nodes (Ritz values).</figcaption>
    </figure>
  );
}
