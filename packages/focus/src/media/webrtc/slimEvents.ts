// werift's `Event` (its small rx-like event type) defines its ten methods (`execute`,
// `subscribe`, `once`, ...) and its `onerror` handler as arrow-function class fields, so every
// instance carries eleven closures of its own. A send-only transceiver with its sender,
// receiver and their tracks holds 16 events, and a call of n has about 2n² transceivers at the
// focus: in the call of 25 those closures were the largest single item of what the joins left
// in the old generation (docs/performance.md). `slimEvents` gives the events of an object graph
// shared methods with the same behaviour instead, reading `this`: correct wherever they are
// called as methods, which is how werift and the focus call them (werift never passes one on
// detached; its `returnTrigger` / `returnListener` getters, which would, bind them here). The
// events keep one shape (the fields are reassigned, not deleted), so werift's accesses stay
// fast.

import { Event as WeriftEvent } from "werift";

interface Item {
  execute: (...args: unknown[]) => unknown;
  id: number;
  complete?: () => void;
  error?: (e: unknown) => void;
}

/** The fields of werift's Event this file reads and writes (untyped internals). */
interface EventLike {
  event: { stack: Item[]; promiseStack: Item[]; eventId: number };
  ended: boolean;
  onended?: () => void;
  onerror: (e: unknown) => void;
  execute(...args: unknown[]): void;
  complete(): void;
  error(e: unknown): void;
  allUnsubscribe(): void;
  subscribe(
    execute: Item["execute"],
    complete?: Item["complete"],
    error?: Item["error"],
  ): { unSubscribe: () => void; disposer: (d: { push(f: () => void): void }) => void };
  queuingSubscribe(
    execute: Item["execute"],
    complete?: Item["complete"],
    error?: Item["error"],
  ): { unSubscribe: () => void; disposer: (d: { push(f: () => void): void }) => void };
  once(execute: Item["execute"], complete?: Item["complete"], error?: Item["error"]): void;
  watch(cb: (...args: unknown[]) => unknown, timeLimit?: number): Promise<unknown[]>;
  asPromise(timeLimit?: number): Promise<unknown[]>;
}

/**
 * Adds a subscriber to `list` (the event's plain or queuing stack) under the next id; its
 * `unSubscribe` removes that id from the plain stack, as werift's does for both kinds.
 */
function addItem(ev: EventLike, list: Item[], item: Item) {
  const id = ev.event.eventId;
  item.id = id;
  list.push(item);
  ev.event.eventId++;
  const unSubscribe = () => {
    ev.event.stack = ev.event.stack.filter((i) => i.id !== id && i);
  };
  const disposer = (d: { push(f: () => void): void }) => d.push(unSubscribe);
  return { unSubscribe, disposer };
}

/** werift's methods, one function each for every event (werift 0.25, common/src/event.ts). */
const shared = {
  onerror(this: EventLike, _e: unknown): void {},
  execute(this: EventLike, ...args: unknown[]): void {
    if (this.ended) return;
    for (const item of this.event.stack) item.execute(...args);
    // werift starts an async function per call to run the queuing subscribers; with none
    // there is nothing it could do (not even an error to report), so none is started
    const queued = this.event.promiseStack;
    if (queued.length === 0) return;
    (async () => {
      for (const item of queued) await item.execute(...args);
    })().catch((e) => this.onerror(e));
  },
  complete(this: EventLike): void {
    if (this.ended) return;
    for (const item of this.event.stack) item.complete?.();
    this.allUnsubscribe();
    this.ended = true;
    if (this.onended) {
      this.onended();
      this.onended = undefined;
    }
  },
  error(this: EventLike, e: unknown): void {
    if (this.ended) return;
    for (const item of this.event.stack) item.error?.(e);
    this.allUnsubscribe();
  },
  allUnsubscribe(this: EventLike): void {
    if (this.ended) return;
    this.event = { stack: [], promiseStack: [], eventId: 0 };
  },
  subscribe(
    this: EventLike,
    execute: Item["execute"],
    complete?: Item["complete"],
    error?: Item["error"],
  ) {
    return addItem(this, this.event.stack, { execute, id: 0, complete, error });
  },
  queuingSubscribe(
    this: EventLike,
    execute: Item["execute"],
    complete?: Item["complete"],
    error?: Item["error"],
  ) {
    if (this.ended) throw new Error("event completed");
    return addItem(this, this.event.promiseStack, { execute, id: 0, complete, error });
  },
  once(
    this: EventLike,
    execute: Item["execute"],
    complete?: Item["complete"],
    error?: Item["error"],
  ): void {
    const off = this.subscribe(
      (...args: unknown[]) => {
        off.unSubscribe();
        execute(...args);
      },
      complete,
      error,
    );
  },
  watch(this: EventLike, cb: (...args: unknown[]) => unknown, timeLimit?: number) {
    return new Promise<unknown[]>((resolve, reject) => {
      const timeout = timeLimit && setTimeout(() => reject("Event watch timeout"), timeLimit);
      const { unSubscribe } = this.subscribe((...args: unknown[]) => {
        if (cb(...args)) {
          if (timeout) clearTimeout(timeout);
          unSubscribe();
          resolve(args);
        }
      });
    });
  },
  asPromise(this: EventLike, timeLimit?: number) {
    return new Promise<unknown[]>((resolve, reject) => {
      const timeout = timeLimit && setTimeout(() => reject("Event asPromise timeout"), timeLimit);
      this.once(
        (...args: unknown[]) => {
          if (timeout) clearTimeout(timeout);
          resolve(args);
        },
        () => {
          if (timeout) clearTimeout(timeout);
          resolve([]);
        },
        (err: unknown) => {
          if (timeout) clearTimeout(timeout);
          reject(err);
        },
      );
    });
  },
};

const NAMES = Object.keys(shared) as (keyof typeof shared)[];

/** Whether `ev` already has the shared methods. */
function isSlim(ev: EventLike): boolean {
  return ev.execute === shared.execute;
}

function slim(ev: EventLike): void {
  const target = ev as unknown as Record<string, unknown>;
  for (const name of NAMES) target[name] = shared[name];
}

let gettersPatched = false;

/** werift's two getters that hand methods out detached: bound, so they keep working. */
function patchDetachingGetters(proto: object): void {
  if (gettersPatched) return;
  gettersPatched = true;
  Object.defineProperty(proto, "returnTrigger", {
    configurable: true,
    get(this: EventLike) {
      return {
        execute: this.execute.bind(this),
        error: this.error.bind(this),
        complete: this.complete.bind(this),
      };
    },
  });
  Object.defineProperty(proto, "returnListener", {
    configurable: true,
    get(this: EventLike) {
      return {
        subscribe: this.subscribe.bind(this),
        once: this.once.bind(this),
        asPromise: this.asPromise.bind(this),
      };
    },
  });
}

/**
 * Gives every werift Event reachable from `roots` within `depth` property steps the shared
 * methods; returns how many it changed. Objects in `stop` (e.g. the peer connection, whose
 * graph is large) are not entered; buffers are not entered.
 */
export function slimEvents(
  roots: readonly object[],
  depth: number,
  stop: ReadonlySet<object> = new Set(),
): number {
  patchDetachingGetters(WeriftEvent.prototype);
  const seen = new Set<object>();
  let changed = 0;
  const visit = (o: unknown, left: number): void => {
    if (o === null || typeof o !== "object" || seen.has(o) || stop.has(o)) return;
    seen.add(o);
    if (o instanceof WeriftEvent) {
      const ev = o as unknown as EventLike;
      if (!isSlim(ev)) {
        slim(ev);
        changed++;
      }
      return;
    }
    if (left === 0 || ArrayBuffer.isView(o) || o instanceof ArrayBuffer) return;
    let values: unknown[];
    try {
      values = Array.isArray(o) ? o : Object.values(o);
    } catch {
      // an own getter that throws: slimming is a saving, never a reason to fail a call
      return;
    }
    for (const v of values) visit(v, left - 1);
  };
  for (const r of roots) visit(r, depth);
  return changed;
}
