import { describe, expect, it } from "vitest";
import { Histogram } from "../lib/histogram.ts";
import type { LoadWindow } from "../load/ipc.ts";
import { mergeWindows, partitionRooms } from "./LoadGroup.ts";

function win(packets: number, cpu: number, delays: number[]): LoadWindow {
  const h = new Histogram();
  for (const d of delays) h.add(d);
  return {
    ms: 1000,
    packets,
    bytes: packets * 100,
    lost: 1,
    expected: packets + 1,
    outOfOrder: 0,
    duplicates: 0,
    unmarked: 0,
    delay: h.toData(),
    byStream: [packets, 0, packets],
    layerSwitches: 0,
    sentPackets: 10,
    sentBytes: 1000,
    plisReceived: 0,
    loadCpuCores: cpu,
    loadRssBytes: 1,
    loadLoopDelayP99Ms: cpu * 10,
    loadLoopDelayMaxMs: cpu * 20,
  };
}

describe("partitionRooms", () => {
  it("keeps each participant's publishing and receiving in the same process", () => {
    const rooms = [
      {
        room: 0,
        publishers: [0, 1, 2],
        subscribers: [0, 1, 2].map((i) => ({ index: i, feeds: [], layer: "h" as const })),
      },
    ];
    const a = partitionRooms(rooms, 2, 0)[0]!;
    const b = partitionRooms(rooms, 2, 1)[0]!;
    expect(a.publishers).toEqual([0, 2]);
    expect(a.subscribers.map((s) => s.index)).toEqual([0, 2]);
    expect(b.publishers).toEqual([1]);
    expect(b.subscribers.map((s) => s.index)).toEqual([1]);
  });
});

describe("mergeWindows", () => {
  it("adds counts and CPU, merges delays and keeps the worst event-loop delay", () => {
    const m = mergeWindows([win(100, 0.5, [1, 2]), win(50, 0.25, [30])]);
    expect(m.packets).toBe(150);
    expect(m.loadCpuCores).toBe(0.75);
    expect(m.byStream).toEqual([150, 0, 150]);
    expect(m.loadLoopDelayP99Ms).toBe(5);
    expect(Histogram.from(m.delay).percentile(1)).toBe(30.1);
  });
});
