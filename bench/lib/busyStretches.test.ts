import { describe, expect, it } from "vitest";
import { busyStretches } from "./busyStretches.ts";
import type { CpuProfile } from "./cpuProfile.ts";

const frame = (functionName: string) => ({ functionName, url: "", lineNumber: 0 });

// root -> onMessage -> forward; root -> processTimers; root -> (idle)
const nodes = [
  { id: 1, callFrame: frame("(root)"), children: [2, 4, 5] },
  { id: 2, callFrame: frame("onMessage"), children: [3] },
  { id: 3, callFrame: frame("forward") },
  { id: 4, callFrame: frame("processTimers") },
  { id: 5, callFrame: frame("(idle)") },
];

function profile(samples: number[]): CpuProfile {
  // 1 ms between samples
  return {
    startTime: 0,
    endTime: samples.length * 1000,
    nodes,
    samples,
    timeDeltas: samples.map(() => 1000),
  };
}

describe("busyStretches", () => {
  it("splits the busy time at idle samples and measures each stretch", () => {
    // busy 3 ms, idle, busy 6 ms, idle, busy 1 ms
    const b = busyStretches(profile([2, 3, 4, 5, 3, 3, 3, 3, 3, 4, 5, 2, 5]), 5);
    expect(b.count).toBe(3);
    expect(b.busyMs).toBe(10);
    expect(b.atLeast.slice(0, 4)).toEqual([
      [1, 3],
      [2, 2],
      [5, 1],
      [10, 0],
    ]);
  });

  it("says where the long stretches spent their time, by the frames below the root", () => {
    const b = busyStretches(profile([2, 3, 4, 5, 3, 3, 3, 3, 3, 4, 5, 2, 5]), 5);
    expect(b.long).toEqual({
      minMs: 5,
      count: 1,
      ms: 6,
      byEntry: [
        ["onMessage > forward", 5],
        ["processTimers", 1],
      ],
    });
  });
});
