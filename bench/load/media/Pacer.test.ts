import { describe, expect, it } from "vitest";
import { dueFrames } from "./Pacer.ts";

describe("dueFrames", () => {
  it("counts the frames whose time has come and moves the schedule past them", () => {
    const s = { next: 0, period: 20 };
    expect(dueFrames(s, 0, 3)).toBe(1);
    expect(dueFrames(s, 10, 3)).toBe(0);
    expect(dueFrames(s, 45, 3)).toBe(2);
    expect(s.next).toBe(60);
  });

  it("keeps the rate over many irregular ticks", () => {
    const s = { next: 0, period: 1000 / 30 };
    let frames = 0;
    for (let t = 0; t < 10_000; t += 7) frames += dueFrames(s, t, 3);
    expect(frames).toBeGreaterThanOrEqual(299);
    expect(frames).toBeLessThanOrEqual(301);
  });

  it("drops a long backlog instead of bursting it out", () => {
    const s = { next: 0, period: 20 };
    expect(dueFrames(s, 1000, 3)).toBe(3);
    expect(s.next).toBe(1020);
  });
});
