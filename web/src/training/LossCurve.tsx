/** A training run's loss and accuracy against step on a deck.gl canvas, with a legend beneath. */
import { OrthographicView } from "@deck.gl/core";
import DeckGL from "@deck.gl/react";
import { useMemo } from "react";
import type { CurvePoint } from "../api/training-types";
import { curveGeometry, curveLayers, curveSeries, describeLastPoint } from "./curve-layers";
import { useDrawnState } from "../plot/use-drawn";
import { useWidth } from "../plot/use-width";

const VIEW = new OrthographicView({ id: "curve", flipY: false });

export function LossCurve({ id, curve, stepsTotal, height = 320, compact = false, label }: {
  id: string; curve: CurvePoint[]; stepsTotal: number | null; height?: number; compact?: boolean; label: string;
}) {
  const [box, width] = useWidth<HTMLDivElement>();
  const layers = useMemo(
    () => (width ? curveLayers(id, curveGeometry(curve, stepsTotal, width, height, compact), compact) : []),
    [id, curve, stepsTotal, width, height, compact],
  );
  const drawn = useDrawnState(layers);
  const series = curveSeries(curve);
  const last = describeLastPoint(curve, stepsTotal);
  // One world unit per pixel, the origin at the canvas's lower left corner.
  const viewState = { target: [width / 2, height / 2, 0] as [number, number, number], zoom: 0 };
  return (
    <figure className={`curve${compact ? " compact" : ""}`}>
      <div ref={box} className="plot" style={{ height }} role="img" aria-label={last ? `${label}: ${last}` : label} data-testid="loss-curve" data-state={curve.length > 0 ? drawn.state : "empty"}>
        {width > 0 && curve.length > 0 && (
          <DeckGL views={VIEW} viewState={viewState as never} controller={false} layers={layers} onAfterRender={drawn.onAfterRender} style={{ position: "absolute", inset: "0" }} />
        )}
        {curve.length === 0 && <p className="curve-empty muted">No checkpoint yet: the curve starts at the first one.</p>}
      </div>
      {series.length > 0 && (
        <figcaption className="curve-legend">
          <ul aria-label="Legend">
            {series.map((s) => (
              <li key={s.key}><span className="curve-swatch" style={{ background: `rgb(${s.colour.join(",")})` }} aria-hidden="true" /> {s.label}{!compact && <span className="muted"> ({s.axis === "loss" ? "left axis" : "right axis"})</span>}</li>
            ))}
          </ul>
          {!compact && last && <span className="small" data-testid="last-step">Latest checkpoint: {last}</span>}
        </figcaption>
      )}
    </figure>
  );
}
