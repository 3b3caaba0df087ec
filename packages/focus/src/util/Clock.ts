// Injectable time: production code asks a Clock for the time and for timers, so that tests can
// drive time with a FakeClock instead of sleeping.

/** An opaque timer handle returned by a Clock. */
export type TimerHandle = { readonly __timer: true } | ReturnType<typeof setTimeout>;

export interface Clock {
  /** Milliseconds since the epoch (or since the fake clock's start). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

/** The real clock: Date.now and Node's timers (unref'd so they never keep the process alive). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => {
    if (h !== undefined) clearTimeout(h as ReturnType<typeof setTimeout>);
  },
  setInterval: (fn, ms) => {
    const t = setInterval(fn, ms);
    t.unref?.();
    return t;
  },
  clearInterval: (h) => {
    if (h !== undefined) clearInterval(h as ReturnType<typeof setInterval>);
  },
};

interface FakeTimer {
  id: number;
  due: number;
  fn: () => void;
  every?: number;
}

/** A clock for tests: time moves only when `advance` is called; due timers run in order. */
export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers = new Map<number, FakeTimer>();

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.#add(fn, ms);
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.#timers.delete(handle as unknown as number);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.#add(fn, ms, Math.max(1, ms));
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  /** Number of timers still pending. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, running every timer that falls due, in time order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let next: FakeTimer | undefined;
      for (const t of this.#timers.values()) {
        if (t.due <= end && (next === undefined || t.due < next.due)) next = t;
      }
      if (next === undefined) break;
      this.#now = next.due;
      if (next.every !== undefined) next.due += next.every;
      else this.#timers.delete(next.id);
      next.fn();
    }
    this.#now = end;
  }

  #add(fn: () => void, ms: number, every?: number): TimerHandle {
    const id = this.#nextId++;
    const timer: FakeTimer = { id, due: this.#now + Math.max(0, ms), fn };
    if (every !== undefined) timer.every = every;
    this.#timers.set(id, timer);
    return id as unknown as TimerHandle;
  }
}
