import { describe, expect, it } from "vitest";
import { FakeClock } from "../util/Clock.ts";
import { KeepAlive } from "./KeepAlive.ts";

function setup() {
  const clock = new FakeClock();
  const log: string[] = [];
  const k = new KeepAlive(
    clock,
    { pingIntervalMs: 10_000, pongTimeoutMs: 30_000 },
    {
      sendPing: () => log.push(`ping@${clock.now()}`),
      timedOut: () => log.push(`timeout@${clock.now()}`),
    },
  );
  return { clock, log, k };
}

describe("KeepAlive", () => {
  it("pings at start and then every interval while pongs come back", () => {
    const { clock, log, k } = setup();
    k.start();
    for (let i = 0; i < 6; i++) {
      clock.advance(10_000);
      k.pongReceived();
    }
    expect(log).toHaveLength(7);
    expect(log.every((l) => l.startsWith("ping"))).toBe(true);
  });

  it("declares the participant gone once no pong came for the timeout, and stops pinging", () => {
    const { clock, log, k } = setup();
    k.start();
    clock.advance(100_000);
    expect(log).toEqual(["ping@0", "ping@10000", "ping@20000", "timeout@30000"]);
  });

  it("a late pong resets the timeout", () => {
    const { clock, log, k } = setup();
    k.start();
    clock.advance(25_000);
    k.pongReceived();
    clock.advance(25_000);
    expect(log.some((l) => l.startsWith("timeout"))).toBe(false);
    clock.advance(10_000);
    expect(log.at(-1)).toBe("timeout@60000");
  });

  it("does nothing after stop", () => {
    const { clock, log, k } = setup();
    k.start();
    k.stop();
    clock.advance(100_000);
    expect(log).toEqual(["ping@0"]);
    expect(clock.pendingTimers).toBe(0);
  });
});
