// Large fan-outs in slices. A packet with many subscribers (a webinar of 95) used to go to all
// of them before the event loop read the next datagram: 1–2 ms in which the packets of every
// other conference on the thread waited in their sockets, and a key frame's burst held them
// for its whole fan-out. A TrackReceiver sends a packet with more than twice
// `fanoutInlineSinks` subscribers to the first of them at once and hands the rest to this
// queue, which works through them in slices of
// about `sliceMs`; between slices the event loop reads the sockets, so the packet of a small
// fan-out waits for one slice, not for a large fan-out to finish. Order is kept: one queue,
// first in first out, and a receiver with work in it queues its next packets whole
// (TrackReceiver).
import { flushSends } from "../webrtc/sendQueue.ts";

/** The rest of one packet's fan-out. */
export interface DeferredFanout {
  /** Sends the packet to `sinks[i]`; true when that sink sent it on. */
  each(i: number): boolean;
  readonly count: number;
  /** Called once every sink had it, with whether any sent it on. */
  done(forwarded: boolean): void;
}

export interface FanoutQueueOptions {
  /** Work done between two looks at the sockets, ms. */
  sliceMs: number;
  /** Sinks served between two looks at the clock. */
  chunk: number;
  now: () => number;
  /** Runs `fn` after the I/O callbacks of the current event-loop turn. */
  schedule: (fn: () => void) => void;
  /** Sends what the slice queued (the thread's send queue). */
  flush: () => void;
}

const defaults: FanoutQueueOptions = {
  sliceMs: 0.5,
  chunk: 8,
  now: () => performance.now(),
  schedule: (fn) => setImmediate(fn),
  flush: flushSends,
};

interface Entry {
  work: DeferredFanout;
  next: number;
  forwarded: boolean;
}

export class FanoutQueue {
  readonly #o: FanoutQueueOptions;
  #entries: Entry[] = [];
  #head = 0;
  #scheduled = false;

  constructor(o: Partial<FanoutQueueOptions> = {}) {
    this.#o = { ...defaults, ...o };
  }

  get pending(): number {
    return this.#entries.length - this.#head;
  }

  defer(work: DeferredFanout, from = 0): void {
    this.#entries.push({ work, next: from, forwarded: false });
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#o.schedule(this.#slice);
    }
  }

  /** One slice: deferred sends until the slice's time is up or nothing is left. */
  readonly #slice = (): void => {
    this.#scheduled = false;
    const { now, chunk } = this.#o;
    const end = now() + this.#o.sliceMs;
    const entries = this.#entries;
    while (this.#head < entries.length) {
      const e = entries[this.#head] as Entry;
      const stop = Math.min(e.work.count, e.next + chunk);
      for (; e.next < stop; e.next++) if (e.work.each(e.next)) e.forwarded = true;
      if (e.next >= e.work.count) {
        this.#head++;
        e.work.done(e.forwarded);
      }
      if (now() >= end) break;
    }
    this.#o.flush();
    if (this.#head === entries.length) {
      this.#entries = [];
      this.#head = 0;
      return;
    }
    if (this.#head >= 1024) {
      entries.splice(0, this.#head);
      this.#head = 0;
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#o.schedule(this.#slice);
    }
  };
}

let queue: FanoutQueue | undefined;

/** This thread's queue. */
export function fanoutQueue(): FanoutQueue {
  queue ??= new FanoutQueue();
  return queue;
}
