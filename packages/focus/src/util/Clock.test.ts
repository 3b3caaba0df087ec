import { describe, expect, it } from "vitest";
import { FakeClock } from "./Clock.ts";

describe("FakeClock", () => {
  it("runs a timeout only once time has advanced past it", () => {
    const clock = new FakeClock(1000);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 50);
    clock.advance(49);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([1050]);
  });

  it("repeats an interval until it is cleared", () => {
    const clock = new FakeClock();
    let n = 0;
    const h = clock.setInterval(() => n++, 10);
    clock.advance(35);
    expect(n).toBe(3);
    clock.clearInterval(h);
    clock.advance(100);
    expect(n).toBe(3);
  });

  it("does not run a cleared timeout", () => {
    const clock = new FakeClock();
    let ran = false;
    const h = clock.setTimeout(() => {
      ran = true;
    }, 5);
    clock.clearTimeout(h);
    clock.advance(10);
    expect(ran).toBe(false);
  });
});
