// Retry delays for requests to a homeserver that is away: exponential, capped, and jittered
// so that many foci do not hammer a recovering server in step.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0..1: the share of each delay that is random. */
  jitter: number;
}

/** The delay before retry number `attempt` (0 = first retry); `random` returns 0..1. */
export function backoffDelay(
  attempt: number,
  o: BackoffOptions,
  random: () => number = Math.random,
): number {
  const base = Math.min(o.maxMs, o.initialMs * o.factor ** Math.max(0, attempt));
  return Math.round(base * (1 - o.jitter * random()));
}
