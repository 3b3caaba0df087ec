// Opt-in diagnostic of the focus host (MF_BENCH_LOOP_DELAY=1): how long its event loop kept
// a 1 ms timer waiting over the measurement window, and the garbage collections in it. A
// packet that arrives while the loop is busy waits as long, so this bounds the part of the
// probe's delay that the focus's own event loop causes. Off by default: a 1 kHz timer is
// extra work in the system under test.
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";

type IntervalHistogram = ReturnType<typeof monitorEventLoopDelay>;

export class LoopReport {
  #histogram: IntervalHistogram | undefined;
  #gc = { count: 0, totalMs: 0, maxMs: 0, over5Ms: 0 };
  readonly #observer = new PerformanceObserver((list) => {
    if (!this.#histogram) return;
    for (const e of list.getEntries()) {
      this.#gc.count++;
      this.#gc.totalMs += e.duration;
      this.#gc.maxMs = Math.max(this.#gc.maxMs, e.duration);
      if (e.duration > 5) this.#gc.over5Ms++;
    }
  });

  constructor() {
    this.#observer.observe({ entryTypes: ["gc"] });
  }

  /** Starts at the window's opening; at its end returns the figures and stops. */
  toggle(): Record<string, number> {
    const h = this.#histogram;
    if (!h) {
      this.#histogram = monitorEventLoopDelay({ resolution: 1 });
      this.#histogram.enable();
      return {};
    }
    h.disable();
    this.#histogram = undefined;
    const us = (ns: number) => Math.round(ns / 1000);
    const out = {
      loopP50Us: us(h.percentile(50)),
      loopP99Us: us(h.percentile(99)),
      loopP999Us: us(h.percentile(99.9)),
      loopMaxUs: us(h.max),
      gcCount: this.#gc.count,
      gcTotalMs: Math.round(this.#gc.totalMs),
      gcMaxMs: Math.round(this.#gc.maxMs * 10) / 10,
      gcOver5Ms: this.#gc.over5Ms,
    };
    this.#gc = { count: 0, totalMs: 0, maxMs: 0, over5Ms: 0 };
    return out;
  }
}
