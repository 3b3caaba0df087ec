import { beforeEach, describe, expect, it } from "vitest";
import {
  AdaptiveResolution,
  type ObservedElement,
  type ObserverFactory,
} from "./AdaptiveResolution.ts";
import type { Size } from "./SubscriptionManager.ts";

class FakeObservers implements ObserverFactory {
  resizeCb: Parameters<ObserverFactory["resize"]>[0] = () => {};
  intersectionCb: Parameters<ObserverFactory["intersection"]>[0] = () => {};
  observed = new Set<ObservedElement>();
  resize(cb: Parameters<ObserverFactory["resize"]>[0]) {
    this.resizeCb = cb;
    return this.#observer();
  }
  intersection(cb: Parameters<ObserverFactory["intersection"]>[0]) {
    this.intersectionCb = cb;
    return this.#observer();
  }
  #observer() {
    return {
      observe: (el: ObservedElement) => this.observed.add(el),
      unobserve: (el: ObservedElement) => this.observed.delete(el),
      disconnect: () => this.observed.clear(),
    };
  }
}

describe("AdaptiveResolution", () => {
  let obs: FakeObservers;
  let changes: (Size | undefined)[];
  let ar: AdaptiveResolution;
  const el = { clientWidth: 320, clientHeight: 180 };

  beforeEach(() => {
    obs = new FakeObservers();
    changes = [];
    ar = new AdaptiveResolution({
      observers: obs,
      pixelRatio: () => 1.5,
      maxPixelRatio: 2,
      onChange: (_el, size) => changes.push(size),
    });
  });

  it("wants an attached video at its shown size in device pixels at once", () => {
    ar.observe(el);
    expect(changes).toEqual([{ width: 480, height: 270 }]);
  });

  it("follows resizes and reports each new size once", () => {
    ar.observe(el);
    obs.resizeCb([{ target: el, width: 640, height: 360 }]);
    obs.resizeCb([{ target: el, width: 640, height: 360 }]);
    expect(changes).toEqual([
      { width: 480, height: 270 },
      { width: 960, height: 540 },
    ]);
  });

  it("reports a tile scrolled out of view as hidden and back again", () => {
    ar.observe(el);
    obs.intersectionCb([{ target: el, isIntersecting: false }]);
    obs.intersectionCb([{ target: el, isIntersecting: true }]);
    expect(changes).toEqual([{ width: 480, height: 270 }, undefined, { width: 480, height: 270 }]);
  });

  it("treats a video with no size as hidden", () => {
    ar.observe({ clientWidth: 0, clientHeight: 0 });
    expect(changes).toEqual([undefined]);
  });

  it("caps the pixel ratio", () => {
    const hi = new AdaptiveResolution({
      observers: new FakeObservers(),
      pixelRatio: () => 3,
      maxPixelRatio: 2,
      onChange: (_e, s) => changes.push(s),
    });
    hi.observe(el);
    expect(changes).toEqual([{ width: 640, height: 360 }]);
  });

  it("stops reporting an element once it is no longer observed", () => {
    ar.observe(el);
    ar.unobserve(el);
    obs.resizeCb([{ target: el, width: 100, height: 100 }]);
    expect(changes).toHaveLength(1);
    expect(obs.observed.has(el)).toBe(false);
  });
});
