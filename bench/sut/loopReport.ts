// Opt-in diagnostic of the focus host (MF_BENCH_LOOP_DELAY=1): how long its event loop kept
// a 1 ms timer waiting over the measurement window, and the garbage collections in it. A
// packet that arrives while the loop is busy waits as long, so this bounds the part of the
// probe's delay that the focus's own event loop causes. Off by default: a 1 kHz timer is
// extra work in the system under test.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { GcTally, noGc } from "./gcTally.ts";

type IntervalHistogram = ReturnType<typeof monitorEventLoopDelay>;

export class LoopReport {
  #histogram: IntervalHistogram | undefined;
  #gc: GcTally | undefined;

  /** Starts at the window's opening; at its end returns the figures and stops. */
  toggle(): Record<string, number> {
    const h = this.#histogram;
    if (!h) {
      this.#histogram = monitorEventLoopDelay({ resolution: 1 });
      this.#histogram.enable();
      this.#gc = new GcTally();
      return {};
    }
    h.disable();
    this.#histogram = undefined;
    const gc = this.#gc?.stop() ?? noGc();
    this.#gc = undefined;
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    const us = (ns: number) => Math.round(ns / 1000);
    return {
      loopP50Us: us(h.percentile(50)),
      loopP99Us: us(h.percentile(99)),
      loopP999Us: us(h.percentile(99.9)),
      loopMaxUs: us(h.max),
      gcCount: sum(gc.counts),
      gcTotalMs: Math.round(sum(gc.ms)),
      gcMaxMs: Math.round(gc.maxMs * 10) / 10,
      gcOver5Ms: gc.over5Ms,
    };
  }
}
