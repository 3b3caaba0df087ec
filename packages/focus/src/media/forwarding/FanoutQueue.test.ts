import { describe, expect, it } from "vitest";
import { type DeferredFanout, FanoutQueue } from "./FanoutQueue.ts";

/** A queue on a hand-run scheduler and a clock that advances `perCall` ms at every look. */
function setup(o: { sliceMs: number; chunk: number; perCall: number }) {
  let t = 0;
  const pending: (() => void)[] = [];
  let flushes = 0;
  const q = new FanoutQueue({
    sliceMs: o.sliceMs,
    chunk: o.chunk,
    now: () => (t += o.perCall),
    schedule: (fn) => pending.push(fn),
    flush: () => flushes++,
  });
  const turn = () => pending.shift()?.();
  return { q, pending, turn, flushes: () => flushes };
}

function work(name: string, count: number, log: string[], forwards = true) {
  const done: boolean[] = [];
  const w: DeferredFanout = {
    count,
    each: (i) => {
      log.push(`${name}${i}`);
      return forwards;
    },
    done: (f) => done.push(f),
  };
  return { w, done };
}

describe("FanoutQueue", () => {
  it("works through deferred fan-outs in slices, one event-loop turn apart, in order", () => {
    const { q, pending, turn, flushes } = setup({ sliceMs: 2, chunk: 2, perCall: 2 });
    const log: string[] = [];
    const a = work("a", 5, log);
    const b = work("b", 2, log);
    q.defer(a.w, 1); // a0 went inline
    q.defer(b.w);
    expect(log).toEqual([]);
    expect(pending.length).toBe(1); // one turn scheduled for both
    turn(); // the first chunk takes the slice's 2 ms (the clock moves 2 ms per look)
    expect(log).toEqual(["a1", "a2"]);
    expect(pending.length).toBe(1);
    turn();
    turn();
    expect(log).toEqual(["a1", "a2", "a3", "a4", "b0", "b1"]);
    expect([a.done, b.done]).toEqual([[true], [true]]);
    expect(q.pending).toBe(0);
    expect(pending.length).toBe(0);
    expect(flushes()).toBe(3); // each slice sends what it queued
  });

  it("tells a fan-out whether any of its sinks sent the packet on", () => {
    const { q, turn } = setup({ sliceMs: 100, chunk: 8, perCall: 0 });
    const log: string[] = [];
    const none = work("n", 3, log, false);
    q.defer(none.w);
    turn();
    expect(none.done).toEqual([false]);
  });
});
