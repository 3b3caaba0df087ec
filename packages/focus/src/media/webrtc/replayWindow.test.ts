import { describe, expect, it } from "vitest";
import { ReplayWindow, ReplayWindows } from "./replayWindow.ts";

describe("the SRTCP replay window", () => {
  it("accepts each index once, in any order within 64 of the highest, and nothing older", () => {
    const w = new ReplayWindow();
    expect([5, 3, 4, 100].map((i) => w.accept(i))).toEqual([true, true, true, true]);
    // seen before
    expect([5, 100].map((i) => w.accept(i))).toEqual([false, false]);
    // 37 and 99 are within the window below 100 (a slot shared with an older index is free)
    expect([99, 37, 37].map((i) => w.accept(i))).toEqual([true, true, false]);
    // 36 is 64 below the highest: too old
    expect(w.accept(36)).toBe(false);
    expect(w.accept(0)).toBe(false);
    // moving far ahead forgets the old slots' owners
    expect([1000, 999, 1000 - 63, 1000 - 64].map((i) => w.accept(i))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(w.accept(0x7fffffff)).toBe(true);
  });

  it("keeps one window per sender SSRC", () => {
    const ws = new ReplayWindows();
    expect(ws.accept(1, 10)).toBe(true);
    expect(ws.accept(2, 10)).toBe(true);
    expect(ws.accept(1, 10)).toBe(false);
    expect(ws.accept(2, 10)).toBe(false);
  });
});
