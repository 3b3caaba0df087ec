// What the main thread keeps about one worker slot: the worker running in it (if any), its
// last snapshot, and the bookkeeping of its replies, start failures and restart.
import type { Worker } from "node:worker_threads";
import { newVerdictBuffer } from "./linkVerdict.ts";
import type { WorkerSnapshot } from "./messages.ts";

export interface Slot {
  index: number;
  worker: Worker | undefined;
  snapshot: WorkerSnapshot | undefined;
  /** The calls of the last snapshot (hasCall). */
  callIds: Set<string>;
  /** Shared with the worker for m.call.connect_to_focus verdicts (linkVerdict.ts). */
  verdictBuffer: SharedArrayBuffer;
  /** idle() requests waiting for the worker's reply, by id. */
  idleWaiters: Map<number, () => void>;
  /** Set while closing: called when the worker reports it closed. */
  closed: (() => void) | undefined;
  lastError: string | undefined;
  /** Failures in a row (restart back-off); 0 once a worker started. */
  failures: number;
  restart: ReturnType<typeof setTimeout> | undefined;
}

export function newSlot(index: number): Slot {
  return {
    index,
    worker: undefined,
    snapshot: undefined,
    callIds: new Set<string>(),
    verdictBuffer: newVerdictBuffer(),
    idleWaiters: new Map(),
    closed: undefined,
    lastError: undefined,
    failures: 0,
    restart: undefined,
  };
}
