import { afterEach, describe, expect, it, vi } from "vitest";
import { type FramePhases, mediaProfile } from "../../config/defaults.ts";
import { dueFrames, Pacer, phasedSchedule, phaseFraction } from "./Pacer.ts";
import type { SyntheticPublisher } from "./SyntheticPublisher.ts";

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

describe("phaseFraction", () => {
  function largestGap(fractions: number[]): number {
    const s = [...fractions].sort((a, b) => a - b);
    let gap = s[0]! + 1 - s[s.length - 1]!;
    for (let i = 1; i < s.length; i++) gap = Math.max(gap, s[i]! - s[i - 1]!);
    return gap;
  }

  it("spreads consecutive publishers over the whole period", () => {
    const f = Array.from({ length: 20 }, (_, i) => phaseFraction(i));
    for (const x of f) expect(x >= 0 && x < 1).toBe(true);
    // evenly spaced would leave 1/20 between neighbours; the golden-ratio sequence stays
    // within three times that for any n
    expect(largestGap(f)).toBeLessThan(3 / 20);
  });

  it("spreads the indices one load process holds, which need not start at zero", () => {
    const f = Array.from({ length: 25 }, (_, i) => phaseFraction(1_000_000 + 2 * i));
    expect(largestGap(f)).toBeLessThan(3 / 25);
  });
});

describe("phasedSchedule", () => {
  it("puts the first frame at the publisher's offset after the common epoch", () => {
    expect(phasedSchedule(1000, 1000, 20, 0.25)).toEqual({ next: 1005, period: 20 });
  });

  it("starts a publisher that joins later on the same grid, not at the moment it joined", () => {
    const s = phasedSchedule(1000, 1047, 20, 0.25);
    expect(s.next).toBe(1065);
    expect((s.next - 1005) % 20).toBe(0);
  });
});

describe("Pacer", () => {
  afterEach(() => vi.useRealTimers());

  function record(phases: FramePhases): Map<number, number> {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "performance"] });
    const sentAt = new Map<number, number>();
    const publishers = Array.from({ length: 10 }, (_, index) => ({
      index,
      sendVideoFrame: (t: number) => {
        if (!sentAt.has(index)) sentAt.set(index, Math.floor(t - performance.timeOrigin));
      },
      sendAudioFrame: () => {},
      pace: () => {},
    }));
    const pacer = new Pacer(
      { ...mediaProfile, fps: 25 },
      publishers as unknown as SyntheticPublisher[],
      phases,
    );
    pacer.start(1, 3);
    vi.advanceTimersByTime(100);
    pacer.stop();
    return sentAt;
  }

  it("sends each publisher's frames at its own moment when spread", () => {
    const moments = new Set(record("spread").values());
    expect(moments.size).toBeGreaterThanOrEqual(8);
  });

  it("sends every publisher's frame at the same moment when aligned", () => {
    const sent = record("aligned");
    expect(sent.size).toBe(10);
    expect(new Set(sent.values()).size).toBe(1);
  });
});
