// How big each attached video is shown, and whether it is visible: ResizeObserver and
// IntersectionObserver on the elements, turned into a wanted size in device pixels (CSS size x
// devicePixelRatio, capped), or undefined when the tile is hidden or has no size. Observers are
// injected so this runs in tests without a DOM.

import { CallDefaults } from "../defaults.ts";
import type { Size } from "./SubscriptionManager.ts";

export interface ObservedElement {
  readonly clientWidth: number;
  readonly clientHeight: number;
}

export interface ElementObserver {
  observe(el: ObservedElement): void;
  unobserve(el: ObservedElement): void;
  disconnect(): void;
}

export interface ObserverFactory {
  resize(
    cb: (entries: { target: ObservedElement; width: number; height: number }[]) => void,
  ): ElementObserver;
  intersection(
    cb: (entries: { target: ObservedElement; isIntersecting: boolean }[]) => void,
  ): ElementObserver;
}

/** Observers from the browser. */
export const domObservers: ObserverFactory = {
  resize: (cb) => {
    const ro = new ResizeObserver((entries) =>
      cb(
        entries.map((e) => ({
          target: e.target as unknown as ObservedElement,
          width: e.contentRect.width,
          height: e.contentRect.height,
        })),
      ),
    );
    return {
      observe: (el) => ro.observe(el as unknown as Element),
      unobserve: (el) => ro.unobserve(el as unknown as Element),
      disconnect: () => ro.disconnect(),
    };
  },
  intersection: (cb) => {
    const io = new IntersectionObserver((entries) =>
      cb(
        entries.map((e) => ({
          target: e.target as unknown as ObservedElement,
          isIntersecting: e.isIntersecting,
        })),
      ),
    );
    return {
      observe: (el) => io.observe(el as unknown as Element),
      unobserve: (el) => io.unobserve(el as unknown as Element),
      disconnect: () => io.disconnect(),
    };
  },
};

export interface AdaptiveResolutionOptions {
  /** Called with the wanted size, or undefined when the element is not visible. */
  onChange: (el: ObservedElement, size: Size | undefined) => void;
  observers?: ObserverFactory;
  pixelRatio?: () => number;
  maxPixelRatio?: number;
}

interface ElementState {
  width: number;
  height: number;
  intersecting: boolean;
  last: string;
}

export class AdaptiveResolution {
  #o: AdaptiveResolutionOptions;
  #states = new Map<ObservedElement, ElementState>();
  #resize: ElementObserver;
  #intersection: ElementObserver;

  constructor(o: AdaptiveResolutionOptions) {
    this.#o = o;
    const observers = o.observers ?? domObservers;
    this.#resize = observers.resize((entries) => {
      for (const e of entries) this.#update(e.target, { width: e.width, height: e.height });
    });
    this.#intersection = observers.intersection((entries) => {
      for (const e of entries) this.#update(e.target, { intersecting: e.isIntersecting });
    });
  }

  observe(el: ObservedElement): void {
    if (this.#states.has(el)) return;
    this.#states.set(el, {
      width: el.clientWidth,
      height: el.clientHeight,
      intersecting: true,
      last: "",
    });
    this.#resize.observe(el);
    this.#intersection.observe(el);
    this.#update(el, {});
  }

  unobserve(el: ObservedElement): void {
    if (!this.#states.delete(el)) return;
    this.#resize.unobserve(el);
    this.#intersection.unobserve(el);
  }

  /** The wanted size of an observed element now. */
  sizeOf(el: ObservedElement): Size | undefined {
    const s = this.#states.get(el);
    return s === undefined ? undefined : this.#wanted(s);
  }

  close(): void {
    this.#resize.disconnect();
    this.#intersection.disconnect();
    this.#states.clear();
  }

  #update(el: ObservedElement, change: Partial<ElementState>): void {
    const s = this.#states.get(el);
    if (s === undefined) return;
    Object.assign(s, change);
    const wanted = this.#wanted(s);
    const key = wanted === undefined ? "hidden" : `${wanted.width}x${wanted.height}`;
    if (key === s.last) return;
    s.last = key;
    this.#o.onChange(el, wanted);
  }

  #wanted(s: ElementState): Size | undefined {
    if (!s.intersecting || s.width <= 0 || s.height <= 0) return undefined;
    const ratio = Math.min(
      this.#o.pixelRatio?.() ?? 1,
      this.#o.maxPixelRatio ?? CallDefaults.maxPixelRatio,
    );
    return { width: Math.round(s.width * ratio), height: Math.round(s.height * ratio) };
  }
}
