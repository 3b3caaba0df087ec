import { describe, expect, it } from "vitest";
import { type PacedPacket, PacedQueue } from "./PacedQueue.ts";

const packet = (bytes: number): PacedPacket => ({
  header: Buffer.alloc(12),
  payload: Buffer.alloc(bytes - 12),
});

/** Departure times of `count` packets of `bytes` pushed at 0, released by a 1 ms tick. */
function departures(q: PacedQueue, count: number, bytes: number, until = 100): number[] {
  for (let i = 0; i < count; i++) q.push(packet(bytes), 0);
  const out: number[] = [];
  for (let t = 0; t <= until; t++) q.release(t, () => out.push(t));
  return out;
}

describe("PacedQueue", () => {
  it("lets a frame out at the paced rate instead of all at once", () => {
    // 800 kb/s × 2.5 = 250 bytes/ms: a 1000-byte packet every 4 ms
    const out = departures(new PacedQueue(800_000, 2.5, 1), 5, 1000);
    expect(out).toEqual([0, 4, 8, 12, 16]);
  });

  it("releases in bursts no more often than its interval", () => {
    const out = departures(new PacedQueue(800_000, 2.5, 10), 5, 1000);
    expect(out).toEqual([0, 10, 10, 20, 20]);
  });

  it("does not save up budget while it has nothing to send", () => {
    const q = new PacedQueue(800_000, 2.5, 1);
    q.push(packet(1000), 0);
    q.release(0, () => {});
    const out: number[] = [];
    q.push(packet(1000), 50);
    q.push(packet(1000), 50);
    for (let t = 50; t < 70; t++) q.release(t, () => out.push(t));
    expect(out).toEqual([50, 54]);
    expect(q.length).toBe(0);
  });

  it("refuses to pace without a rate", () => {
    expect(() => new PacedQueue(0, 2.5, 5)).toThrow(/rate/);
  });
});
