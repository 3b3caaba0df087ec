import { describe, expect, it } from "vitest";
import { asPercent, loopBusy } from "./loopBusy.ts";

describe("loopBusy", () => {
  it("gives the busy share of the time between two readings", () => {
    const a = { loopActiveMs: 1000, loopIdleMs: 4000 };
    const b = { loopActiveMs: 1900, loopIdleMs: 4100 };
    expect(loopBusy(a, b)).toBeCloseTo(0.9);
  });

  it("gives nothing for a system under test without loop figures, or no time between", () => {
    expect(loopBusy({ packetsIn: 1 }, { packetsIn: 2 })).toBeUndefined();
    expect(loopBusy(undefined, { loopActiveMs: 1, loopIdleMs: 1 })).toBeUndefined();
    const same = { loopActiveMs: 5, loopIdleMs: 5 };
    expect(loopBusy(same, same)).toBeUndefined();
  });

  it("is written as a whole percentage, or a dash when there is none", () => {
    expect(asPercent(0.934)).toBe("93%");
    expect(asPercent(undefined)).toBe("–");
  });
});
