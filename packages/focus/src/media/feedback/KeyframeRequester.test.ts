import { describe, expect, it } from "vitest";
import { FakeClock } from "../../util/Clock.ts";
import { KeyframeRequester } from "./KeyframeRequester.ts";

const timings = { minGapMs: 200, publisherGapMs: 320 };

/** Asks every 10 ms for `ms`; returns when (relative to the start) a request went out. */
function askEvery10(clock: FakeClock, k: KeyframeRequester, ms: number): number[] {
  const start = clock.now();
  const sent: number[] = [];
  for (let t = 0; t < ms; t += 10) {
    if (k.shouldRequest(1)) sent.push(clock.now() - start);
    clock.advance(10);
  }
  return sent;
}

describe("KeyframeRequester", () => {
  it("lets one PLI per source through per retry interval while no keyframe answers", () => {
    const clock = new FakeClock(5000);
    const k = new KeyframeRequester(clock, 500, timings);
    expect(askEvery10(clock, k, 1200)).toEqual([0, 500, 1000]);
  });

  it("throttles each source on its own", () => {
    const k = new KeyframeRequester(new FakeClock(), 1000, timings);
    expect(k.shouldRequest(1)).toBe(true);
    expect(k.shouldRequest(2)).toBe(true);
    expect(k.shouldRequest(1)).toBe(false);
  });

  it("sends the next request the minimum gap after the last one once a keyframe answered it", () => {
    const clock = new FakeClock(5000);
    const k = new KeyframeRequester(clock, 500, timings);
    expect(k.shouldRequest(1)).toBe(true);
    clock.advance(40);
    k.keyframeArrived(1);
    clock.advance(100);
    // a subscriber that started after that keyframe
    expect(k.shouldRequest(1)).toBe(false);
    clock.advance(59);
    expect(k.shouldRequest(1)).toBe(false);
    clock.advance(1);
    expect(k.shouldRequest(1)).toBe(true);
  });

  it("sends at once when the answered request is older than the minimum gap", () => {
    const clock = new FakeClock(5000);
    const k = new KeyframeRequester(clock, 500, timings);
    expect(k.shouldRequest(1)).toBe(true);
    clock.advance(30);
    k.keyframeArrived(1);
    clock.advance(170);
    expect(k.shouldRequest(1)).toBe(true);
  });

  it("does not let a keyframe of another source answer a request", () => {
    const clock = new FakeClock(5000);
    const k = new KeyframeRequester(clock, 500, timings);
    expect(k.shouldRequest(1)).toBe(true);
    k.keyframeArrived(2);
    clock.advance(300);
    expect(k.shouldRequest(1)).toBe(false);
  });

  it("sends a request made too soon after an answered one once more when the publisher's gap has passed", () => {
    const clock = new FakeClock(5000);
    const k = new KeyframeRequester(clock, 500, timings);
    expect(k.shouldRequest(1)).toBe(true);
    clock.advance(40);
    k.keyframeArrived(1);
    clock.advance(160);
    expect(k.shouldRequest(1)).toBe(true); // at 200: a publisher may ignore it
    // unanswered: once more at 320 after the answered request, then only after the retry interval
    expect(askEvery10(clock, k, 700)).toEqual([120, 620]);
  });

  it("does not follow up a request made long enough after the answered one", () => {
    const clock = new FakeClock(5000);
    const k = new KeyframeRequester(clock, 500, timings);
    expect(k.shouldRequest(1)).toBe(true);
    k.keyframeArrived(1);
    clock.advance(400);
    expect(k.shouldRequest(1)).toBe(true);
    expect(askEvery10(clock, k, 600)).toEqual([500]);
  });

  it("stays a plain throttle of one request per interval when given only that interval", () => {
    const clock = new FakeClock(5000);
    const k = new KeyframeRequester(clock, 500);
    expect(k.shouldRequest(1)).toBe(true);
    clock.advance(40);
    k.keyframeArrived(1);
    expect(askEvery10(clock, k, 1000)).toEqual([460, 960]);
  });
});
