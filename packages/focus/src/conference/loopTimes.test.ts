import { describe, expect, it } from "vitest";
import { ConferenceManager } from "./ConferenceManager.ts";
import { readLoopTimes } from "./loopTimes.ts";

const busyFor = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // keep the loop busy
  }
};

describe("the event loop's times in the stats", () => {
  it("count time running callbacks as busy and time waiting for a timer as idle", async () => {
    const a = readLoopTimes();
    busyFor(30);
    await new Promise((r) => setTimeout(r, 60));
    const b = readLoopTimes();
    expect(b.active - a.active).toBeGreaterThanOrEqual(25);
    expect(b.idle - a.idle).toBeGreaterThanOrEqual(40);
  });

  it("are reported by the conference layer, growing over time", async () => {
    const m = new ConferenceManager({
      focus: { userId: "@focus:hs", deviceId: "FOCUS" },
      signalling: { sendCallEvent: async () => {} },
    });
    const a = m.stats();
    busyFor(20);
    await new Promise((r) => setTimeout(r, 30));
    const b = m.stats();
    expect(b.loopActiveMs).toBeGreaterThan(a.loopActiveMs);
    expect(b.loopIdleMs).toBeGreaterThan(a.loopIdleMs);
    await m.close();
  });
});
