import { describe, expect, it } from "vitest";
import { runDefaults } from "../config/defaults.ts";
import { Histogram } from "../lib/histogram.ts";
import type { LoadWindow } from "../load/ipc.ts";
import {
  busiestCore,
  lateJoinPlan,
  mergeWindows,
  partitionRooms,
  probeRooms,
} from "./LoadGroup.ts";
import { loadBound, probeResult } from "./results.ts";

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
    sendDrops: packets > 60 ? 3 : 0,
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
    expect(m.sendDrops).toBe(3);
    expect(m.loadCpuCores).toBe(0.75);
    expect(m.byStream).toEqual([150, 0, 150]);
    expect(m.loadLoopDelayP99Ms).toBe(5);
    expect(Histogram.from(m.delay).percentile(1)).toBe(30.1);
  });
});

describe("probeRooms", () => {
  it("puts the probe's publisher and its only subscriber into the first room of the step", () => {
    const p = runDefaults.probe;
    const rooms = probeRooms([{ room: 3, publishers: [0, 1], subscribers: [] }], p);
    expect(rooms).toEqual([
      {
        room: 3,
        publishers: [p.publisherIndex],
        subscribers: [{ index: p.subscriberIndex, feeds: [p.publisherIndex], layer: p.layer }],
      },
    ]);
  });
});

describe("probeResult", () => {
  it("gives the probe's delay percentiles and loss from its own window", () => {
    const r = probeResult(win(99, 0.01, [1, 1, 1, 2, 40]));
    expect(r.delayP50Ms).toBeCloseTo(1, 0);
    expect(r.delayP99Ms).toBeGreaterThan(30);
    expect(r.loss).toBeCloseTo(1 / 100, 5);
    expect(r.failure).toBeUndefined();
  });

  it("has no delay and says why when the probe could not join", () => {
    const r = probeResult(undefined, ["probe: publisher 900000: no answer"]);
    expect(r.delayP99Ms).toBeUndefined();
    expect(r.failure).toMatch(/no answer/);
  });
});

describe("loadBound", () => {
  it("marks a busy load process and one whose sockets dropped more than 1% of its packets", () => {
    expect(loadBound(0.95, 0, 1000)).toBe(true);
    expect(loadBound(0.3, 135_000, 51_000)).toBe(true);
    expect(loadBound(0.3, 5, 51_000)).toBe(false);
  });
});

describe("busiestCore", () => {
  it("adds up the processes that share a core and takes the busiest core", () => {
    expect(busiestCore([1, 1, 2], [0.4, 0.5, 0.7])).toBeCloseTo(0.9);
    expect(busiestCore([1, 2], [0.4, 0.7])).toBeCloseTo(0.7);
  });

  it("skips processes without a figure and has none when no process has one", () => {
    expect(busiestCore([1, 1], [undefined, 0.3])).toBeCloseTo(0.3);
    expect(busiestCore([1], [undefined])).toBeUndefined();
  });
});

describe("lateJoinPlan", () => {
  const d = { count: 3, indexBase: 910_000, timeoutMs: 5000, gapMs: 300 };

  it("joins a call's first room as its first member does, publishing too", () => {
    const rooms = [
      {
        room: 4,
        publishers: [0, 1, 2],
        subscribers: [
          { index: 0, feeds: [1, 2], layer: "h" as const },
          { index: 1, feeds: [0, 2], layer: "h" as const },
        ],
      },
      { room: 5, publishers: [3], subscribers: [] },
    ];
    expect(lateJoinPlan(rooms, d)).toEqual({
      room: 4,
      count: 3,
      indexBase: 910_000,
      feeds: [1, 2],
      layer: "h",
      publish: true,
      timeoutMs: 5000,
      gapMs: 300,
    });
  });

  it("joins a fan-out as a watcher that publishes nothing", () => {
    const rooms = [
      { room: 0, publishers: [0], subscribers: [{ index: 7, feeds: [0], layer: "q" as const }] },
    ];
    expect(lateJoinPlan(rooms, d)?.publish).toBe(false);
  });

  it("plans none for a room without subscribers or a count of zero", () => {
    expect(lateJoinPlan([{ room: 0, publishers: [0], subscribers: [] }], d)).toBeUndefined();
    const rooms = [
      { room: 0, publishers: [0], subscribers: [{ index: 1, feeds: [0], layer: "q" as const }] },
    ];
    expect(lateJoinPlan(rooms, { ...d, count: 0 })).toBeUndefined();
  });

  it("keeps the late joiners' indices apart from the probe's", () => {
    const { probe, lateJoin } = runDefaults;
    const late = [lateJoin.indexBase, lateJoin.indexBase + lateJoin.count - 1];
    for (const i of [probe.publisherIndex, probe.subscriberIndex]) {
      expect(i < late[0]! || i > late[1]!).toBe(true);
    }
  });
});
