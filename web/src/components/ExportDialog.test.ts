import { describe, expect, it } from "vitest";
import { fitted, sizeProblem } from "./ExportDialog";

describe("export sizes", () => {
  it("take 1 to 20 inches or 100 to 10000 pixels a side, at a whole 72 to 1200 DPI, as the server does", () => {
    expect(sizeProblem({ width: 3.25, height: 2.6, unit: "in", dpi: 300 })).toBeNull();
    expect(sizeProblem({ width: 1200, height: 900, unit: "px", dpi: 96 })).toBeNull();
    expect(sizeProblem({ width: 0.5, height: 2, unit: "in", dpi: 300 })).toBe("Width and height are 1 to 20 inches");
    expect(sizeProblem({ width: 1200, height: 50, unit: "px", dpi: 300 })).toBe("Width and height are 100 to 10000 pixels");
    // 3.25 in read as pixels is too small: a unit switched without converting is caught.
    expect(sizeProblem({ width: 3.25, height: 2.6, unit: "px", dpi: 300 })).not.toBeNull();
    expect(sizeProblem({ width: 3.25, height: 2.6, unit: "in", dpi: 299.5 })).toBe("DPI is a whole number from 72 to 1200");
    expect(sizeProblem({ width: Number.NaN, height: 2.6, unit: "in", dpi: 300 })).not.toBeNull();
  });
});

describe("a kept size on another figure", () => {
  it("keeps its width, unit, DPI and theme, and refits a height far from the figure's proportions", () => {
    const single = { theme: "paper" as const, format: "pdf" as const, width: 3.25, height: 2.6, unit: "in" as const, dpi: 300 };
    // Near a single plot's proportions: kept as it is.
    expect(fitted(single, 0.86)).toEqual(single);
    // A row of panels wants less than half the width: refitted.
    expect(fitted(single, 0.4)).toEqual({ ...single, height: 1.3 });
    expect(fitted({ ...single, width: 6.75, height: 2.6 }, 0.4)).toEqual({ ...single, width: 6.75, height: 2.6 });
    expect(fitted({ ...single, unit: "px", width: 1200, height: 1000, dpi: 150 }, 0.4)).toMatchObject({ width: 1200, height: 480, dpi: 150 });
    // Never below the smallest size.
    expect(fitted({ ...single, width: 1.5, height: 1.5 }, 0.2).height).toBe(1);
  });
});
