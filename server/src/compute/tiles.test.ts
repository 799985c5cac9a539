/** Tiles: every point once, coarse levels first, and small enough to take seconds where points are slow. */
import { describe, expect, it } from "vitest";
import { DEMO_TILE_SECONDS, TILE_SECONDS, cutTiles, tilePointsFor } from "./tiles.js";

describe("tiles", () => {
  const covers = (tiles: { indices: number[] }[], total: number) => {
    const seen = tiles.flatMap((t) => t.indices).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i));
  };

  it("cuts a fast surface into about fifty tiles of at least 16 points", () => {
    const tiles = cutTiles(41, 41, tilePointsFor(0.001));
    covers(tiles, 41 * 41);
    expect(Math.max(...tiles.map((t) => t.indices.length))).toBe(34);
    // Levels never mix within a tile, and come coarse first.
    expect(tiles.map((t) => t.level)).toEqual([...tiles.map((t) => t.level)].sort((a, b) => a - b));
  });

  it("cuts a slow surface so that one tile takes at most TILE_SECONDS at the measured speed", () => {
    const pointSeconds = 0.7;
    const tiles = cutTiles(41, 41, tilePointsFor(pointSeconds));
    covers(tiles, 41 * 41);
    const largest = Math.max(...tiles.map((t) => t.indices.length));
    expect(largest * pointSeconds).toBeLessThanOrEqual(TILE_SECONDS);
    expect((largest + 1) * pointSeconds).toBeGreaterThan(TILE_SECONDS);
    // The demo's tiles are cut shorter.
    const demo = cutTiles(41, 41, tilePointsFor(pointSeconds, DEMO_TILE_SECONDS));
    covers(demo, 41 * 41);
    const demoLargest = Math.max(...demo.map((t) => t.indices.length));
    expect(demoLargest * pointSeconds).toBeLessThanOrEqual(DEMO_TILE_SECONDS);
    expect((demoLargest + 1) * pointSeconds).toBeGreaterThan(DEMO_TILE_SECONDS);
    expect(DEMO_TILE_SECONDS).toBeLessThan(TILE_SECONDS);
    // A point slower than a whole tile's time is a tile of its own.
    expect(cutTiles(5, 5, tilePointsFor(60)).every((t) => t.indices.length === 1)).toBe(true);
  });
});
