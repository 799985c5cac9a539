import { describe, expect, it } from "vitest";
import { type Dataset, heldOut, subset } from "./data.js";

const rows = (n: number): Dataset => ({ name: "rows", count: n, sampleShape: [1], x: Float32Array.from({ length: n }, (_, i) => i), y: Float32Array.from({ length: n }, (_, i) => i % 3), targetShape: [] });

describe("held-out rows", () => {
  it("are the rows the training subset leaves out, none shared, in their original order", () => {
    const data = rows(150);
    const train = [...subset(data, 100, 7).x];
    const test = [...heldOut(data, 100, 7, 50).x];
    expect(test).toHaveLength(50);
    expect(test.filter((v) => train.includes(v))).toEqual([]);
    expect(new Set([...train, ...test]).size).toBe(150);
    expect(test).toEqual([...test].sort((a, b) => a - b));
  });

  it("take a seeded part of the rest when fewer are asked for, and refuse more than there are", () => {
    const data = rows(1000);
    const train = new Set(subset(data, 300, 3).x);
    const a = [...heldOut(data, 300, 3, 100).x];
    expect(a).toEqual([...heldOut(data, 300, 3, 100).x]);
    expect(a.some((v) => train.has(v))).toBe(false);
    expect(() => heldOut(data, 950, 3, 100)).toThrow(/too few to train on 950 and hold out 100/);
  });
});
