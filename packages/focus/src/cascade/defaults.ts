// Every default of cascading (links between foci), in one place.
import type { BackoffOptions } from "../matrix/backoff.ts";

export interface CascadeOptions {
  /** How often links are compared with the memberships (besides after every sync), ms. */
  checkIntervalMs: number;
  /** Delays between attempts to place a link that failed: exponential, capped, jittered. */
  retry: BackoffOptions;
  /** Lifetime of the invite of a link call, ms. */
  inviteLifetimeMs: number;
}

export const cascadeDefaults: CascadeOptions = {
  checkIntervalMs: 1_000,
  retry: { initialMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.2 },
  inviteLifetimeMs: 30_000,
};
