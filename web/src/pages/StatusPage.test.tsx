import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { HealthData } from "../api/health";
import { StatusPage, formatDuration } from "./StatusPage";

const healthy: HealthData = {
  status: "OK",
  version: "0.1.0",
  uptimeSeconds: 125,
  database: { ok: true, latencyMs: 1.2, error: null, serverVersion: "18.0", embedded: true },
  storage: { ok: true, latencyMs: 2.5, error: null, bucket: "lossatlas", embedded: true },
  queue: { ok: true, latencyMs: 3, error: null, queued: 4, active: 1, failed: 0 },
  workers: [{ id: "w1", hostname: "gpu-node-1", backend: "tensorflow-gpu", device: "NVIDIA GPU", gpu: true, lastHeartbeatAt: new Date().toISOString() }],
};

afterEach(cleanup);

describe("StatusPage", () => {
  it("shows every component and the connected workers", () => {
    render(<StatusPage state={{ kind: "ready", health: healthy, checkedAt: new Date() }} />);
    expect(screen.getByTestId("overall-status").textContent).toContain("All systems operational");
    expect(screen.getByLabelText("Database: ok").textContent).toContain("PostgreSQL 18.0 (embedded)");
    expect(screen.getByLabelText("Job queue: ok").textContent).toContain("4 queued · 1 running · 0 failed");
    expect(screen.getByText("gpu-node-1")).toBeTruthy();
    expect(screen.getByText("tensorflow-gpu").className).toContain("gpu");
  });

  it("names the failing component and its error", () => {
    const degraded: HealthData = { ...healthy, status: "DEGRADED", storage: { ...healthy.storage!, ok: false, error: "NoSuchBucket (HTTP 404)" }, workers: [] };
    render(<StatusPage state={{ kind: "ready", health: degraded, checkedAt: new Date() }} />);
    expect(screen.getByTestId("overall-status").textContent).toContain("not answering");
    expect(screen.getByLabelText("Object storage: down").textContent).toContain("NoSuchBucket (HTTP 404)");
    expect(screen.getByText(/No worker is connected/)).toBeTruthy();
  });

  it("shows a signed-out visitor the overall status alone, and how to see more", () => {
    const minimal: HealthData = { status: "DEGRADED", version: null, uptimeSeconds: null, database: null, storage: null, queue: null, workers: null };
    render(<StatusPage state={{ kind: "ready", health: minimal, checkedAt: new Date() }} />);
    expect(screen.getByTestId("overall-status").textContent).toContain("not answering");
    expect(screen.getByTestId("overall-status").textContent).not.toContain("version");
    expect(screen.getByTestId("status-details-hidden").textContent).toContain("Sign in");
    expect(screen.queryByText("Workers")).toBeNull();
  });

  it("shows an unreachable server as an alert with its code", () => {
    render(<StatusPage state={{ kind: "error", message: "The Loss Atlas server cannot be reached", code: "NETWORK_ERROR" }} />);
    expect(screen.getByRole("alert").textContent).toContain("NETWORK_ERROR");
  });
});

describe("formatDuration", () => {
  it("picks a readable unit", () => {
    expect(formatDuration(42)).toBe("42 s");
    expect(formatDuration(125)).toBe("2 min");
    expect(formatDuration(3 * 3600 + 120)).toBe("3 h 2 min");
    expect(formatDuration(2 * 86400 + 3600)).toBe("2 d 1 h");
  });
});
