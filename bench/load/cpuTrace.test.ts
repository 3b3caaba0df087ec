import { describe, expect, it, vi } from "vitest";
import { CpuTrace } from "./cpuTrace.ts";

describe("CpuTrace", () => {
  it("tells the share of a core used between two moments from its samples", () => {
    let now = 0;
    let cpu = 0;
    const trace = new CpuTrace(
      () => now,
      () => cpu,
    );
    // 0-100 ms idle, 100-300 ms fully busy, 300-400 ms half busy
    for (const [t, c] of [
      [0, 0],
      [100, 0],
      [200, 100],
      [300, 200],
      [400, 250],
    ] as const) {
      now = t;
      cpu = c;
      trace.sample();
    }
    expect(trace.busyShare(100, 300)).toBeCloseTo(1);
    expect(trace.busyShare(0, 400)).toBeCloseTo(0.625);
    expect(trace.busyShare(300, 400)).toBeCloseTo(0.5);
  });

  it("has no answer for a span with fewer than two samples", () => {
    let now = 0;
    const trace = new CpuTrace(
      () => now,
      () => 0,
    );
    trace.sample();
    now = 100;
    trace.sample();
    expect(trace.busyShare(10, 90)).toBeUndefined();
    expect(trace.busyShare(0, 50)).toBeUndefined();
  });

  it("samples on its own timer until stopped", () => {
    vi.useFakeTimers();
    try {
      const trace = new CpuTrace(() => Date.now());
      trace.start(10);
      vi.advanceTimersByTime(50);
      trace.stop();
      // one at the start, five from the timer, one at the stop
      expect(trace.samples.length).toBe(7);
      vi.advanceTimersByTime(50);
      expect(trace.samples.length).toBe(7);
    } finally {
      vi.useRealTimers();
    }
  });
});
