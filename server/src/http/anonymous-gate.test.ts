import "reflect-metadata";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { anonymousGate } from "./anonymous-gate.js";

/** An app whose handler holds every request until `releaseAll`, counting how many run at once. */
async function gatedServer(maxActive: number, maxWaiting?: number, busyIntervalMs = 0) {
  const app = express();
  const held: (() => void)[] = [];
  const heldAnonymous: (() => void)[] = [];
  const state = { anonymousNow: 0, anonymousMost: 0, received: 0, arrived: 0, anonymousStarts: [] as number[] };
  // Counts requests at the door, before the gate: received but not arrived means waiting in the gate.
  app.use((_req, _res, next) => {
    state.received += 1;
    next();
  });
  app.use(anonymousGate(maxActive, busyIntervalMs, maxWaiting));
  app.get("/", (req, res) => {
    const anonymous = !req.headers.authorization;
    state.arrived += 1;
    if (anonymous) {
      state.anonymousMost = Math.max(state.anonymousMost, ++state.anonymousNow);
      state.anonymousStarts.push(performance.now());
    }
    (anonymous ? heldAnonymous : held).push(() => {
      if (anonymous) state.anonymousNow -= 1;
      res.send("ok");
    });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    state,
    url,
    /** Waits until `n` requests have reached the server (the gate included) in all. */
    received: (n: number) =>
      expect.poll(() => state.received, { message: `${n} requests to reach the server`, timeout: 10_000, interval: 5 }).toBeGreaterThanOrEqual(n),
    /** Waits until `n` requests have reached the handler in all. */
    arrived: (n: number) =>
      expect.poll(() => state.arrived, { message: `${n} requests to reach the handler`, timeout: 10_000, interval: 5 }).toBeGreaterThanOrEqual(n),
    /** Answers every request held so far. */
    releaseHeld: () => [...heldAnonymous.splice(0), ...held.splice(0)].forEach((answer) => answer()),
    /** Answers the anonymous requests held so far. */
    releaseAnonymous: () => heldAnonymous.splice(0).forEach((answer) => answer()),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("anonymous gate", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it("runs at most maxActive anonymous requests at once; the others wait their turn", async () => {
    const gate = await gatedServer(2);
    close = gate.close;
    const answers = Array.from({ length: 6 }, () => fetch(gate.url).then((r) => r.status));
    for (let served = 2; served <= 6; served += 2) {
      await gate.arrived(served);
      expect(gate.state.anonymousNow).toBe(2);
      gate.releaseHeld();
    }
    expect(await Promise.all(answers)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(gate.state.anonymousMost).toBe(2);
  });

  it("lets signed-in requests past at once, and one anonymous request at a time while they run", async () => {
    const gate = await gatedServer(4);
    close = gate.close;
    const signedIn = fetch(gate.url, { headers: { authorization: "Bearer la_x" } });
    await gate.arrived(1);
    const anonymous = Array.from({ length: 3 }, () => fetch(gate.url));
    await gate.arrived(2);
    // Another signed-in request does not queue behind the anonymous ones.
    const second = fetch(gate.url, { headers: { authorization: "Bearer la_y" } });
    await gate.arrived(3);
    await gate.received(5);
    // Here a short wait is the point: a second anonymous request wrongly let in would take a moment
    // to reach the handler, and there is no event for "none came".
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gate.state.anonymousNow).toBe(1);
    gate.releaseHeld();
    await Promise.all([signedIn, second]);
    // With no signed-in request left, the rest of the anonymous ones go on together.
    await gate.arrived(5);
    expect(gate.state.anonymousNow).toBe(2);
    gate.releaseHeld();
    expect((await Promise.all(anonymous)).map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it("while a signed-in request runs, starts anonymous requests at most one per interval", async () => {
    const gate = await gatedServer(4, undefined, 150);
    close = gate.close;
    const signedIn = fetch(gate.url, { headers: { authorization: "Bearer la_x" } });
    await gate.arrived(1);
    const anonymous = Array.from({ length: 3 }, () => fetch(gate.url));
    // Answer each anonymous request as soon as it starts; the signed-in one stays in flight.
    for (let served = 2; served <= 4; served += 1) {
      await gate.arrived(served);
      expect(gate.state.anonymousStarts.length).toBe(served - 1);
      gate.releaseAnonymous();
    }
    expect((await Promise.all(anonymous)).map((r) => r.status)).toEqual([200, 200, 200]);
    const starts = gate.state.anonymousStarts;
    for (let i = 1; i < starts.length; i += 1) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(145);
    gate.releaseHeld();
    expect((await signedIn).status).toBe(200);
    // Without signed-in work, anonymous requests do not wait for the interval.
    const before = performance.now();
    const again = Array.from({ length: 3 }, () => fetch(gate.url));
    await gate.arrived(7);
    expect(performance.now() - before).toBeLessThan(150 * 2);
    gate.releaseHeld();
    await Promise.all(again);
  });

  it("refuses beyond maxWaiting with 503 and Retry-After", async () => {
    const gate = await gatedServer(1, 1);
    close = gate.close;
    const first = fetch(gate.url);
    await gate.arrived(1);
    const second = fetch(gate.url);
    await gate.received(2);
    const third = await fetch(gate.url);
    expect(third.status).toBe(503);
    expect(third.headers.get("retry-after")).toBe("1");
    expect(((await third.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe("SERVICE_UNAVAILABLE");
    gate.releaseHeld();
    await gate.arrived(2);
    gate.releaseHeld();
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
  });
});
