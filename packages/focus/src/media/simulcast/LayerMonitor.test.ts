import { describe, expect, it } from "vitest";
import { FakeClock } from "../../util/Clock.ts";
import { LayerMonitor } from "./LayerMonitor.ts";

describe("LayerMonitor", () => {
  it("counts a layer as stopped once no packet arrived for the timeout", () => {
    const clock = new FakeClock(10_000);
    const m = new LayerMonitor(clock, 1000);
    expect(m.packetArrived("f")).toBe(true);
    m.packetArrived("q");
    clock.advance(600);
    m.packetArrived("q");
    clock.advance(500);
    expect(m.activeLayers()).toEqual(["q"]);
    expect(m.isActive("f")).toBe(false);
  });

  it("reports a layer that comes back as newly active", () => {
    const clock = new FakeClock();
    const m = new LayerMonitor(clock, 100);
    m.packetArrived("h");
    expect(m.packetArrived("h")).toBe(false);
    clock.advance(200);
    expect(m.packetArrived("h")).toBe(true);
  });
});
