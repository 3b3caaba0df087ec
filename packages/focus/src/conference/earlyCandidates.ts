// Candidates for a call whose invite has not arrived yet: kept for a while, handed over when the
// invite comes, dropped once older than the limit.
import type { IceCandidate } from "@matrix-focus/protocol";
import type { Clock } from "../util/Clock.ts";

export class EarlyCandidates {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  /** By call_id. */
  readonly #byCall = new Map<string, { at: number; candidates: IceCandidate[] }>();

  constructor(clock: Clock, ttlMs: number) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  keep(callId: string, candidates: IceCandidate[]): void {
    const e = this.#byCall.get(callId) ?? { at: this.#clock.now(), candidates: [] };
    e.candidates.push(...candidates);
    this.#byCall.set(callId, e);
  }

  /** The candidates kept for `callId`, forgetting them. */
  take(callId: string): IceCandidate[] | undefined {
    const e = this.#byCall.get(callId);
    this.#byCall.delete(callId);
    return e?.candidates;
  }

  /** Drops the candidates kept longer than the limit. */
  prune(): void {
    for (const [callId, e] of this.#byCall) {
      if (this.#clock.now() - e.at > this.#ttlMs) this.#byCall.delete(callId);
    }
  }
}
