// Which remote tracks this device wants, and at what size; sends the differences to the focus
// as `m.call.track_subscription`, batched (changes within `batchMs` go out together) and
// throttled (at most one message per `minIntervalMs`). Video sizes that change by less than
// `resizeThreshold` are not re-sent. Decides only: sending is the injected `send`.

import { CallDefaults } from "../defaults.ts";
import type { Logger } from "../log.ts";
import type { Clock, TimerHandle } from "../util/Clock.ts";

export interface Size {
  width: number;
  height: number;
}

export interface SubscribeItem {
  stream_id: string;
  track_id: string;
  width?: number;
  height?: number;
}

export interface SubscriptionUpdate {
  subscribe: SubscribeItem[];
  unsubscribe: { stream_id: string; track_id: string }[];
}

export interface SubscriptionManagerOptions {
  clock: Clock;
  /** Sends one update; returns false when it could not be sent (it is then retried later). */
  send: (update: SubscriptionUpdate) => boolean;
  batchMs?: number;
  minIntervalMs?: number;
  resizeThreshold?: number;
  logger?: Logger;
}

interface Want {
  streamId: string;
  trackId: string;
  size: Size | undefined;
}

const key = (streamId: string, trackId: string): string => `${streamId}\u0000${trackId}`;

export class SubscriptionManager {
  #o: Required<Omit<SubscriptionManagerOptions, "logger">> & { logger?: Logger };
  #wanted = new Map<string, Want>();
  #sent = new Map<string, Want>();
  #timer: TimerHandle | undefined;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #ready = false;

  constructor(opts: SubscriptionManagerOptions) {
    this.#o = {
      batchMs: CallDefaults.subscriptionBatchMs,
      minIntervalMs: CallDefaults.subscriptionMinIntervalMs,
      resizeThreshold: CallDefaults.resizeThreshold,
      ...opts,
    };
  }

  /** Wants a track: video with the size it is shown at, audio without a size. */
  want(streamId: string, trackId: string, size?: Size): void {
    this.#wanted.set(key(streamId, trackId), { streamId, trackId, size });
    this.#schedule();
  }

  /** No longer wants a track (a hidden or detached video). */
  unwant(streamId: string, trackId: string): void {
    if (this.#wanted.delete(key(streamId, trackId))) this.#schedule();
  }

  /** A stream the focus no longer offers: forget it without telling the focus. */
  forgetStream(streamId: string): void {
    for (const map of [this.#wanted, this.#sent]) {
      for (const [k, w] of map) if (w.streamId === streamId) map.delete(k);
    }
  }

  /** Whether messages can be sent now (the data channel is open). */
  setReady(ready: boolean): void {
    this.#ready = ready;
    if (ready) this.#schedule();
  }

  /** A new connection to a focus: nothing is subscribed there yet. */
  reset(): void {
    this.#sent.clear();
    this.#ready = false;
    this.#o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** What is wanted now. */
  get wanted(): SubscribeItem[] {
    return [...this.#wanted.values()].map(toItem);
  }

  /** Stops the timer. */
  close(): void {
    this.#o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#wanted.clear();
    this.#sent.clear();
  }

  #schedule(): void {
    if (this.#timer !== undefined || !this.#ready) return;
    const now = this.#o.clock.now();
    const at = Math.max(now + this.#o.batchMs, this.#lastSentAt + this.#o.minIntervalMs);
    this.#timer = this.#o.clock.setTimeout(() => this.#flush(), at - now);
  }

  #flush(): void {
    this.#timer = undefined;
    if (!this.#ready) return;
    const update = this.#diff();
    if (update.subscribe.length === 0 && update.unsubscribe.length === 0) return;
    if (!this.#o.send(update)) {
      this.#o.logger?.warn("track_subscription could not be sent; will retry when ready");
      return;
    }
    this.#lastSentAt = this.#o.clock.now();
    for (const s of update.subscribe) {
      const k = key(s.stream_id, s.track_id);
      const w = this.#wanted.get(k);
      if (w !== undefined) this.#sent.set(k, w);
    }
    for (const u of update.unsubscribe) this.#sent.delete(key(u.stream_id, u.track_id));
  }

  #diff(): SubscriptionUpdate {
    const subscribe: SubscribeItem[] = [];
    const unsubscribe: { stream_id: string; track_id: string }[] = [];
    for (const [k, w] of this.#wanted) {
      const s = this.#sent.get(k);
      if (s === undefined || this.#resized(s.size, w.size)) subscribe.push(toItem(w));
    }
    for (const [k, s] of this.#sent) {
      if (!this.#wanted.has(k)) unsubscribe.push({ stream_id: s.streamId, track_id: s.trackId });
    }
    return { subscribe, unsubscribe };
  }

  #resized(before: Size | undefined, after: Size | undefined): boolean {
    if (before === undefined || after === undefined) return before !== after;
    const t = this.#o.resizeThreshold;
    const changed = (a: number, b: number): boolean => Math.abs(b - a) > t * Math.max(a, 1);
    return changed(before.width, after.width) || changed(before.height, after.height);
  }
}

function toItem(w: Want): SubscribeItem {
  return w.size === undefined
    ? { stream_id: w.streamId, track_id: w.trackId }
    : { stream_id: w.streamId, track_id: w.trackId, width: w.size.width, height: w.size.height };
}
