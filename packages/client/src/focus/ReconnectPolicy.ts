// How reconnects are paced after the connection to a focus is lost.

import { HangupReason } from "@matrix-focus/protocol";
import { CallDefaults } from "../defaults.ts";

export interface ReconnectContext {
  /** 0 for the first retry after a loss, counting every attempt since the last connected call. */
  attempt: number;
  /** Attempts already made on the focus that would be called next. */
  attemptsOnFocus: number;
  /** Why the last attempt ended. */
  reason: string;
  /** The focus's own reason, when it hung up. */
  hangupReason?: string;
  /** The attempt that ended was on a focus the call had just moved to and not yet connected to. */
  afterSwitch?: boolean;
}

export interface ReconnectPolicy {
  /** Delay in ms before the next attempt, or undefined to give up. */
  nextDelayMs(ctx: ReconnectContext): number | undefined;
  /** Attempts on one focus before the next candidate focus is tried. */
  readonly attemptsPerFocus: number;
  /**
   * Attempts on a focus that stopped answering (connection failed or stayed disconnected, data
   * channel closed, no ping, no answer) before the next candidate is tried, when there is one;
   * `attemptsPerFocus` when absent. A focus that hangs up, or the only candidate, always gets
   * `attemptsPerFocus`.
   */
  readonly attemptsPerSilentFocus?: number;
}

export interface DefaultReconnectPolicyOptions {
  delaysMs?: readonly number[];
  /** Fraction of the delay added or removed at random (0.2 = +-20 %). */
  jitter?: number;
  maxAttempts?: number;
  attemptsPerFocus?: number;
  attemptsPerSilentFocus?: number;
  /**
   * Delays for a focus the call just moved to that hung up with `not_a_member` or
   * `focus_not_named` (its view of the room lags the new membership), one per such hang-up;
   * then the delay table applies.
   */
  notMemberDelaysMs?: readonly number[];
  random?: () => number;
}

/** A delay table (the last entry repeats) with jitter and a cap on attempts. */
export class DefaultReconnectPolicy implements ReconnectPolicy {
  readonly attemptsPerFocus: number;
  readonly attemptsPerSilentFocus: number;
  #delays: readonly number[];
  #notMemberDelays: readonly number[];
  #jitter: number;
  #max: number;
  #random: () => number;

  constructor(opts: DefaultReconnectPolicyOptions = {}) {
    this.#delays = opts.delaysMs ?? CallDefaults.reconnectDelaysMs;
    this.#jitter = opts.jitter ?? CallDefaults.reconnectJitter;
    this.#max = opts.maxAttempts ?? CallDefaults.maxReconnectAttempts;
    this.attemptsPerFocus = opts.attemptsPerFocus ?? CallDefaults.attemptsPerFocus;
    this.attemptsPerSilentFocus =
      opts.attemptsPerSilentFocus ?? CallDefaults.attemptsPerSilentFocus;
    this.#notMemberDelays = opts.notMemberDelaysMs ?? CallDefaults.notMemberRetryDelaysMs;
    this.#random = opts.random ?? Math.random;
    if (this.#delays.length === 0) throw new TypeError("delaysMs must not be empty");
  }

  nextDelayMs(ctx: ReconnectContext): number | undefined {
    if (ctx.attempt >= this.#max) return undefined;
    const base =
      this.#lagDelay(ctx) ?? this.#delays[Math.min(ctx.attempt, this.#delays.length - 1)] ?? 0;
    const spread = base * this.#jitter * (this.#random() * 2 - 1);
    return Math.max(0, Math.round(base + spread));
  }

  // A focus the call just moved to may not have seen the new membership yet and refuses the
  // call (not_a_member, or focus_not_named while it still sees the old one); it will see it
  // within a second or so.
  #lagDelay(ctx: ReconnectContext): number | undefined {
    const lag =
      ctx.hangupReason === HangupReason.notAMember ||
      ctx.hangupReason === HangupReason.focusNotNamed;
    if (ctx.afterSwitch !== true || !lag) return undefined;
    return this.#notMemberDelays[ctx.attemptsOnFocus - 1];
  }
}
