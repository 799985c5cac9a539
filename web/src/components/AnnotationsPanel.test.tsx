import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Annotation } from "../api/types";
import { AnnotationsPanel, draftAt, type Draft, formatCoordinate, pinsWithDraft } from "./AnnotationsPanel";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const note: Annotation = { id: "n1", x: 0.1, y: -0.2, kind: "MINIMUM", label: "basin", body: "wide", author: { id: "u", name: "Ada", email: "a@x" }, updatedAt: "" };

describe("AnnotationsPanel", () => {
  it("shows notes read-only to viewers", () => {
    render(<AnnotationsPanel surfaceId="s" annotations={[note]} canWrite={false} draft={null} setDraft={() => {}} selected={null} onSelect={() => {}} onSaved={() => {}} />);
    expect(screen.getByText("basin")).toBeTruthy();
    expect(screen.getByText("View only.")).toBeTruthy();
    expect(screen.queryByText("Edit")).toBeNull();
  });

  it("pins a drafted note through addAnnotation and reports the server's refusal in words", async () => {
    const fetchMock = vi.fn()
      .mockResolvedValueOnce(new Response(JSON.stringify({ data: { addAnnotation: { ok: false, error: { code: "FORBIDDEN", message: "Viewers cannot annotate", field: null } } } })))
      .mockResolvedValueOnce(new Response(JSON.stringify({ data: { addAnnotation: { ok: true, error: null, annotation: note } } })));
    vi.stubGlobal("fetch", fetchMock);
    const draft: Draft = { id: null, x: 0.1, y: -0.2, kind: "NOTE", label: "here", body: "" };
    const saved = vi.fn();
    const setDraft = vi.fn();
    render(<AnnotationsPanel surfaceId="s1" annotations={[]} canWrite draft={draft} setDraft={setDraft} selected={null} onSelect={() => {}} onSaved={saved} />);
    fireEvent.click(screen.getByText("Pin note"));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("Viewers cannot annotate"));
    fireEvent.click(screen.getByText("Pin note"));
    await waitFor(() => expect(saved).toHaveBeenCalled());
    const body = JSON.parse(fetchMock.mock.calls[1]![1].body as string);
    expect(body.variables.input).toMatchObject({ surfaceId: "s1", x: 0.1, y: -0.2, label: "here", kind: "NOTE" });
    expect(setDraft).toHaveBeenCalledWith(null);
  });
});

describe("a note's coordinates", () => {
  it("read to the digits the grid resolves, a grid point at 0 as 0", () => {
    // 25 points over [-1, 1]: a spacing of 0.0833.
    expect(formatCoordinate(-5.551115123125783e-16, 2 / 24)).toBe("0");
    expect(formatCoordinate(0.41666666666666674, 2 / 24)).toBe("0.42");
    expect(formatCoordinate(-0.5000000000000001, 0.5)).toBe("-0.5");
    expect(formatCoordinate(3.0000000000000004, 1)).toBe("3");
    render(<AnnotationsPanel surfaceId="s" annotations={[{ ...note, x: -5.551115123125783e-16, y: 0.25000000000000006 }]} canWrite={false} draft={null} setDraft={() => {}} selected={null} onSelect={() => {}} onSaved={() => {}} steps={{ x: 2 / 24, y: 2 / 24 }} />);
    expect(screen.getByText(/\(0, 0\.25\)/)).toBeTruthy();
  });
});

describe("placing a note", () => {
  const grid = { xs: [-1, 0, 1], ys: [-1, 0, 1] };
  const points = [{ kind: "MINIMUM" as const, x: 0.1, y: -0.2 }, { kind: "SADDLE" as const, x: 0.8, y: 0.8 }];
  it("snaps to a critical point clicked within 3% of the plane, taking its kind", () => {
    expect(draftAt({ a: 0.12, b: -0.18 }, points, grid)).toMatchObject({ x: 0.1, y: -0.2, kind: "MINIMUM" });
    expect(draftAt({ a: 0.79, b: 0.83 }, points, grid)).toMatchObject({ x: 0.8, y: 0.8, kind: "SADDLE" });
  });
  it("stays where it was clicked when no point is close", () => {
    expect(draftAt({ a: 0.3, b: 0.3 }, points, grid)).toMatchObject({ x: 0.3, y: 0.3, kind: "NOTE" });
  });
});

describe("pinsWithDraft", () => {
  it("draws a new note where it will go, and an edited one only once", () => {
    const draft: Draft = { id: null, x: 0.4, y: 0.2, kind: "SADDLE", label: "", body: "" };
    expect(pinsWithDraft([note], draft)).toEqual([note, expect.objectContaining({ id: "draft", x: 0.4, y: 0.2, kind: "SADDLE", label: "new note" })]);
    expect(pinsWithDraft([note], { ...draft, id: note.id, label: "renamed" })).toEqual([note]);
    expect(pinsWithDraft([note], null)).toEqual([note]);
  });
});
