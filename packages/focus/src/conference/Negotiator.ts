// SDP renegotiation over the data channel (m.call.negotiate) with perfect negotiation, where
// the focus is the POLITE side (the deployed client is impolite): when both offer at once,
// the focus rolls its offer back, answers the client's, and offers again afterwards.
// https://w3c.github.io/webrtc-pc/#perfect-negotiation-example
// One offer is in flight at a time; changes while it is in flight are offered next.

export interface NegotiationPeer {
  createOffer(): Promise<string>;
  acceptOffer(sdp: string): Promise<string>;
  acceptAnswer(sdp: string): Promise<void>;
  rollback(): Promise<void>;
}

export interface NegotiatorCallbacks {
  /** Sends our offer or answer to the participant. */
  sendDescription(type: "offer" | "answer", sdp: string): void;
  /** Our offer was answered (new outgoing tracks can send now). */
  offerAnswered(): void;
  /** A description could not be applied. */
  failed(err: unknown): void;
}

export interface NegotiatorOptions {
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

export class Negotiator {
  readonly #peer: NegotiationPeer;
  readonly #cb: NegotiatorCallbacks;
  #state: NegotiationStateValue = NegotiationState.stable;
  #needed = false;
  #enabled = false;
  readonly #polite: boolean;

  constructor(peer: NegotiationPeer, cb: NegotiatorCallbacks, o: NegotiatorOptions = {}) {
    this.#peer = peer;
    this.#cb = cb;
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

  /** What the participant receives changed: offer now, or after the offer in flight. */
  async negotiationNeeded(): Promise<void> {
    this.#needed = true;
    if (this.#enabled && this.#state === NegotiationState.stable) await this.#offer();
  }

  /** The participant sent an offer (e.g. it publishes a screen share). */
  async offerReceived(sdp: string): Promise<void> {
    try {
      if (this.#state === NegotiationState.offering && !this.#polite) return;
      if (this.#state === NegotiationState.offering) {
        // polite: drop our offer, answer theirs, offer again later
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

  /** The participant answered our offer. An answer we did not ask for is ignored. */
  async answerReceived(sdp: string): Promise<boolean> {
    if (this.#state !== NegotiationState.offering) return false;
    try {
      await this.#peer.acceptAnswer(sdp);
    } catch (err) {
      this.#state = NegotiationState.stable;
      this.#cb.failed(err);
      return true;
    }
    this.#state = NegotiationState.stable;
    this.#cb.offerAnswered();
    if (this.#needed) await this.#offer();
    return true;
  }

  async #offer(): Promise<void> {
    this.#needed = false;
    this.#state = NegotiationState.offering;
    try {
      const sdp = await this.#peer.createOffer();
      this.#cb.sendDescription("offer", sdp);
    } catch (err) {
      this.#state = NegotiationState.stable;
      this.#cb.failed(err);
    }
  }
}
