import { describe, expect, it } from "vitest";
import { FakeClock } from "../../util/Clock.ts";
import { KeyframeRequester } from "./KeyframeRequester.ts";

describe("KeyframeRequester", () => {
  it("lets one PLI per source through per throttle interval", () => {
    const clock = new FakeClock(5000);
    const k = new KeyframeRequester(clock, 500);
    const sent = [];
    for (let t = 0; t < 1200; t += 100) {
      sent.push(k.shouldRequest(1));
      clock.advance(100);
    }
    expect(sent.filter(Boolean)).toHaveLength(3);
    expect(sent.slice(0, 6)).toEqual([true, false, false, false, false, true]);
  });

  it("throttles each source on its own", () => {
    const k = new KeyframeRequester(new FakeClock(), 1000);
    expect(k.shouldRequest(1)).toBe(true);
    expect(k.shouldRequest(2)).toBe(true);
    expect(k.shouldRequest(1)).toBe(false);
  });
});
