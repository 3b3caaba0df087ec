import type { Clock } from "../clock.ts";

export type RateLimitConfig = { requestsPerSecond: number; burst: number };

type Bucket = { tokens: number; updated: number };

/** Token bucket per key (access token). Returns the wait in ms when a request is refused. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly config: RateLimitConfig;
  private readonly clock: Clock;

  constructor(config: RateLimitConfig, clock: Clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Takes one request from the key's bucket; undefined when allowed, else ms to wait. */
  take(key: string): number | undefined {
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.config.burst, updated: now };
    const refill = ((now - bucket.updated) / 1000) * this.config.requestsPerSecond;
    bucket.tokens = Math.min(this.config.burst, bucket.tokens + Math.max(0, refill));
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.ceil(((1 - bucket.tokens) / this.config.requestsPerSecond) * 1000);
  }
}
