// SDP renegotiation over the data channel (m.call.negotiate) with perfect negotiation, where
// the focus is the POLITE side (the deployed client is impolite): when both offer at once,
// the focus rolls its offer back, answers the client's, and offers again afterwards.
// https://w3c.github.io/webrtc-pc/#perfect-negotiation-example
// One offer is in flight at a time; changes while it is in flight are offered next.
// An offer not answered within `answerTimeoutMs` is rolled back and offered again with the
// current state, at most `maxReoffers` times; after that the owner hangs up (see
// docs/media.md), so a lost or dropped offer never leaves a participant stuck.
import type { Clock, TimerHandle } from "../util/Clock.ts";
import type { NegotiationTimings } from "./defaults.ts";

export interface NegotiationPeer {
  createOffer(): Promise<string>;
  acceptOffer(sdp: string): Promise<string>;
  acceptAnswer(sdp: string): Promise<void>;
  rollback(): Promise<void>;
}

export interface NegotiatorCallbacks {
  /** Sends our offer or answer to the participant. */
  sendDescription(type: "offer" | "answer", sdp: string): void;
  /** Our offer was answered; `mids`: its m-sections (their outgoing tracks can send now). */
  offerAnswered(mids: readonly (string | undefined)[]): void;
  /** A description could not be applied. */
  failed(err: unknown): void;
  /** An answer was not applied, for `reason`. */
  answerIgnored(reason: string): void;
  /**
   * Offer number `offer` went unanswered for `answerTimeoutMs`: the owner calls
   * `answerTimedOut(offer)` (from its serial queue, so it never races an arriving answer).
   */
  answerOverdue(offer: number): void;
}

export interface NegotiatorOptions {
  clock: Clock;
  timings: NegotiationTimings;
  /**
   * Polite (default, as towards clients): on glare, roll back our offer and answer theirs.
   * Impolite (the dialing side of a link between foci): ignore their offer; they answer ours.
   */
  polite?: boolean;
}

export const NegotiationState = {
  stable: "stable",
  offering: "offering",
} as const;
export type NegotiationStateValue = (typeof NegotiationState)[keyof typeof NegotiationState];

/** What `answerTimedOut` did: offered again, gave up (the owner hangs up), or nothing. */
export const AnswerTimeoutOutcome = {
  reoffered: "reoffered",
  gaveUp: "gaveUp",
  ignored: "ignored",
} as const;
export type AnswerTimeoutOutcomeValue =
  (typeof AnswerTimeoutOutcome)[keyof typeof AnswerTimeoutOutcome];

/** The mid of each m-section of an SDP, in order (undefined where a section has none). */
export function midsOf(sdp: string): (string | undefined)[] {
  const sections = sdp.split(/\r?\nm=/).slice(1);
  return sections.map((s) => /^a=mid:(\S+)/m.exec(s)?.[1]);
}

function answersOffer(answer: (string | undefined)[], offer: (string | undefined)[]): boolean {
  return (
    answer.length === offer.length && answer.every((m, i) => m === undefined || m === offer[i])
  );
}

export class Negotiator {
  readonly #peer: NegotiationPeer;
  readonly #cb: NegotiatorCallbacks;
  readonly #clock: Clock;
  readonly #timings: NegotiationTimings;
  readonly #polite: boolean;
  #state: NegotiationStateValue = NegotiationState.stable;
  #needed = false;
  #enabled = false;
  /** A change waits for the end of the current turn before it is offered. */
  #batching = false;
  #stopped = false;
  /** Number of the latest offer; an overdue notice for an older one is stale. */
  #offerNo = 0;
  #offerMids: (string | undefined)[] = [];
  #reoffers = 0;
  #timer: TimerHandle | undefined;

  constructor(peer: NegotiationPeer, cb: NegotiatorCallbacks, o: NegotiatorOptions) {
    this.#peer = peer;
    this.#cb = cb;
    this.#clock = o.clock;
    this.#timings = o.timings;
    this.#polite = o.polite ?? true;
  }

  get state(): NegotiationStateValue {
    return this.#state;
  }

  /** True when a change waits for the next offer. */
  get pending(): boolean {
    return this.#needed;
  }

  /** Allows offers (once the data channel is open and the first answer was sent). */
  async enable(): Promise<void> {
    this.#enabled = true;
    if (this.#needed) await this.#offer();
  }

  /** Stops for good: no more offers, the answer timer is cleared. Idempotent. */
  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
  }

  /**
   * What the participant receives changed: offer (once every change made in the same turn,
   * e.g. all items of one track_subscription, is made), or after the offer in flight.
   */
  async negotiationNeeded(): Promise<void> {
    this.#needed = true;
    if (!this.#enabled || this.#state !== NegotiationState.stable || this.#batching) return;
    this.#batching = true;
    await Promise.resolve();
    this.#batching = false;
    if (this.#needed && this.#enabled && this.#state === NegotiationState.stable)
      await this.#offer();
  }

  /** The participant sent an offer (e.g. it publishes a screen share). */
  async offerReceived(sdp: string): Promise<void> {
    try {
      if (this.#state === NegotiationState.offering && !this.#polite) return;
      if (this.#state === NegotiationState.offering) {
        // polite: drop our offer, answer theirs, offer again later
        this.#clearTimer();
        await this.#peer.rollback();
        this.#state = NegotiationState.stable;
        this.#needed = true;
      }
      const answer = await this.#peer.acceptOffer(sdp);
      this.#cb.sendDescription("answer", answer);
    } catch (err) {
      this.#cb.failed(err);
      return;
    }
    if (this.#needed && this.#enabled) await this.#offer();
  }

  /**
   * The participant answered our offer. An answer we did not ask for, or one whose m-sections
   * do not match the offer in flight (it answers an offer we rolled back), is ignored.
   */
  async answerReceived(sdp: string): Promise<boolean> {
    if (this.#state !== NegotiationState.offering) {
      this.#cb.answerIgnored("no offer is waiting for an answer");
      return false;
    }
    if (!answersOffer(midsOf(sdp), this.#offerMids)) {
      this.#cb.answerIgnored("its m-sections do not match the offer in flight (superseded offer)");
      return false;
    }
    this.#clearTimer();
    try {
      await this.#peer.acceptAnswer(sdp);
    } catch (err) {
      this.#state = NegotiationState.stable;
      this.#cb.failed(err);
      return true;
    }
    this.#state = NegotiationState.stable;
    this.#reoffers = 0;
    this.#cb.offerAnswered(this.#offerMids);
    if (this.#needed) await this.#offer();
    return true;
  }

  /**
   * Offer number `offer` was not answered in time: roll it back and offer the current state
   * again, or give up after `maxReoffers` re-offers (or when that fails).
   */
  async answerTimedOut(offer: number): Promise<AnswerTimeoutOutcomeValue> {
    if (this.#stopped || offer !== this.#offerNo || this.#state !== NegotiationState.offering)
      return AnswerTimeoutOutcome.ignored;
    if (this.#reoffers >= this.#timings.maxReoffers) {
      this.stop();
      return AnswerTimeoutOutcome.gaveUp;
    }
    this.#reoffers++;
    try {
      await this.#peer.rollback();
    } catch (err) {
      this.#cb.failed(err);
      this.stop();
      return AnswerTimeoutOutcome.gaveUp;
    }
    this.#state = NegotiationState.stable;
    return (await this.#offer()) ? AnswerTimeoutOutcome.reoffered : AnswerTimeoutOutcome.gaveUp;
  }

  /** Creates and sends an offer; false when that failed. */
  async #offer(): Promise<boolean> {
    if (this.#stopped) return false;
    this.#needed = false;
    this.#state = NegotiationState.offering;
    const no = ++this.#offerNo;
    try {
      const sdp = await this.#peer.createOffer();
      this.#offerMids = midsOf(sdp);
      this.#cb.sendDescription("offer", sdp);
    } catch (err) {
      this.#state = NegotiationState.stable;
      this.#cb.failed(err);
      return false;
    }
    this.#clearTimer();
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (no === this.#offerNo && this.#state === NegotiationState.offering)
        this.#cb.answerOverdue(no);
    }, this.#timings.answerTimeoutMs);
    return true;
  }

  #clearTimer(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
