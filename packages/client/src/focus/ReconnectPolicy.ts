// How reconnects are paced after the connection to a focus is lost.

import { CallDefaults } from "../defaults.ts";

export interface ReconnectContext {
  /** 0 for the first retry after a loss, counting every attempt since the last connected call. */
  attempt: number;
  /** Attempts already made on the focus that would be called next. */
  attemptsOnFocus: number;
  /** Why the last attempt ended. */
  reason: string;
}

export interface ReconnectPolicy {
  /** Delay in ms before the next attempt, or undefined to give up. */
  nextDelayMs(ctx: ReconnectContext): number | undefined;
  /** Attempts on one focus before the next candidate focus is tried. */
  readonly attemptsPerFocus: number;
}

export interface DefaultReconnectPolicyOptions {
  delaysMs?: readonly number[];
  /** Fraction of the delay added or removed at random (0.2 = +-20 %). */
  jitter?: number;
  maxAttempts?: number;
  attemptsPerFocus?: number;
  random?: () => number;
}

/** A delay table (the last entry repeats) with jitter and a cap on attempts. */
export class DefaultReconnectPolicy implements ReconnectPolicy {
  readonly attemptsPerFocus: number;
  #delays: readonly number[];
  #jitter: number;
  #max: number;
  #random: () => number;

  constructor(opts: DefaultReconnectPolicyOptions = {}) {
    this.#delays = opts.delaysMs ?? CallDefaults.reconnectDelaysMs;
    this.#jitter = opts.jitter ?? CallDefaults.reconnectJitter;
    this.#max = opts.maxAttempts ?? CallDefaults.maxReconnectAttempts;
    this.attemptsPerFocus = opts.attemptsPerFocus ?? CallDefaults.attemptsPerFocus;
    this.#random = opts.random ?? Math.random;
    if (this.#delays.length === 0) throw new TypeError("delaysMs must not be empty");
  }

  nextDelayMs(ctx: ReconnectContext): number | undefined {
    if (ctx.attempt >= this.#max) return undefined;
    const base = this.#delays[Math.min(ctx.attempt, this.#delays.length - 1)] ?? 0;
    const spread = base * this.#jitter * (this.#random() * 2 - 1);
    return Math.max(0, Math.round(base + spread));
  }
}
