// Per-user message rate limit: one token bucket per key, refilled continuously from an
// injected clock. Full buckets are forgotten, so idle users cost no memory.
import type { Clock } from "../util/Clock.ts";

export interface RateLimiterOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Bucket size (the burst allowed after a quiet period). */
  burst: number;
  clock: Clock;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly #o: RateLimiterOptions;
  readonly #buckets = new Map<string, Bucket>();

  constructor(o: RateLimiterOptions) {
    this.#o = o;
  }

  /** Takes one token for `key`; false when the bucket is empty (the message is refused). */
  tryTake(key: string): boolean {
    const now = this.#o.clock.now();
    const b = this.#refill(key, now);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    if (this.#buckets.size > 1024) this.#forgetFull(now);
    return true;
  }

  /** Number of keys currently tracked. */
  get size(): number {
    return this.#buckets.size;
  }

  #refill(key: string, now: number): Bucket {
    let b = this.#buckets.get(key);
    if (b === undefined) {
      b = { tokens: this.#o.burst, at: now };
      this.#buckets.set(key, b);
      return b;
    }
    const elapsed = Math.max(0, now - b.at) / 1000;
    b.tokens = Math.min(this.#o.burst, b.tokens + elapsed * this.#o.ratePerSecond);
    b.at = now;
    return b;
  }

  #forgetFull(now: number): void {
    for (const [key, b] of this.#buckets) {
      const tokens = b.tokens + (Math.max(0, now - b.at) / 1000) * this.#o.ratePerSecond;
      if (tokens >= this.#o.burst) this.#buckets.delete(key);
    }
  }
}
