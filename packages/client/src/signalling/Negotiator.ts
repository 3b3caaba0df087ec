// Perfect negotiation (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example) with this
// client as the IMPOLITE side, as the deployed client is: an offer from the focus that collides
// with our own offer is ignored; the focus (polite) rolls back and answers ours. Descriptions are
// handled one at a time. The initial offer/answer goes over to-device; renegotiation starts only
// once `setReady` says the data channel is up.

import { CallDefaults } from "../defaults.ts";
import type { Logger } from "../log.ts";
import { alignExtmapIds } from "./extmap.ts";

/** The part of RTCPeerConnection negotiation uses. */
export interface NegotiationPeer {
  readonly signalingState: string;
  readonly localDescription: { type: string; sdp: string } | null;
  setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
}

export interface NegotiatorOptions {
  peer: NegotiationPeer;
  /** Sends our offer or answer to the focus (m.call.negotiate with our metadata). */
  sendDescription: (description: { type: "offer" | "answer"; sdp: string }) => boolean;
  logger: Logger;
  /** Called when negotiation keeps failing; the connection should be replaced. */
  onFailed?: (reason: string) => void;
  /** Failures in a row before `onFailed` (default 3). */
  maxFailures?: number;
}

export type DescriptionOutcome = "applied" | "ignored" | "failed";

export class Negotiator {
  #o: NegotiatorOptions;
  #makingOffer = false;
  #ready = false;
  #pending = false;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #failures = 0;
  /** Focus answers queued and not yet applied (the W3C example's isSettingRemoteAnswerPending). */
  #answersPending = 0;

  constructor(o: NegotiatorOptions) {
    this.#o = o;
  }

  get makingOffer(): boolean {
    return this.#makingOffer;
  }

  /** Renegotiation may start (set-up is done and the data channel is open). */
  setReady(ready: boolean): void {
    this.#ready = ready;
    if (ready && this.#pending) {
      this.#pending = false;
      void this.handleNegotiationNeeded();
    }
  }

  /** The peer connection needs a new offer (something was published or unpublished). */
  handleNegotiationNeeded(): Promise<void> {
    if (!this.#ready) {
      this.#pending = true;
      return Promise.resolve();
    }
    return this.#enqueue(async () => {
      if (this.#closed) return;
      if (this.#o.peer.signalingState !== "stable") {
        this.#pending = true;
        return;
      }
      this.#makingOffer = true;
      try {
        await this.#o.peer.setLocalDescription();
        const local = this.#o.peer.localDescription;
        if (local === null || local.type !== "offer") return;
        this.#o.logger.info("sending a renegotiation offer");
        if (!this.#o.sendDescription({ type: "offer", sdp: local.sdp })) this.#pending = true;
      } catch (e) {
        this.#o.logger.error("could not create a renegotiation offer", e);
      } finally {
        this.#makingOffer = false;
      }
    });
  }

  /** An offer or answer from the focus. */
  handleDescription(description: {
    type: "offer" | "answer";
    sdp: string;
  }): Promise<DescriptionOutcome> {
    // The focus answers our offer and may offer right behind it (what our offer made it roll
    // back): an offer behind a queued answer is judged in the queue, once that answer is applied.
    const collision =
      description.type === "offer" &&
      (this.#makingOffer ||
        (this.#o.peer.signalingState !== "stable" && this.#answersPending === 0));
    if (collision) {
      this.#o.logger.info("ignored the focus's offer: it collides with ours (we are impolite)");
      return Promise.resolve("ignored");
    }
    const answer = description.type === "answer";
    if (answer) this.#answersPending++;
    const run = this.#enqueue(async (): Promise<DescriptionOutcome> => {
      if (this.#closed) return "ignored";
      if (description.type === "offer" && this.#o.peer.signalingState !== "stable") {
        this.#o.logger.info("ignored the focus's offer: ours is in flight (we are impolite)");
        return "ignored";
      }
      if (description.type === "offer") {
        const aligned = alignExtmapIds(description.sdp, this.#o.peer.localDescription?.sdp ?? "");
        if (aligned !== description.sdp) {
          this.#o.logger.warn("the focus's offer reuses header extension ids; renumbered them");
          description = { type: "offer", sdp: aligned };
        }
      }
      try {
        await this.#o.peer.setRemoteDescription(description);
        if (description.type === "offer") {
          await this.#o.peer.setLocalDescription();
          const local = this.#o.peer.localDescription;
          if (local !== null && local.type === "answer") {
            this.#o.sendDescription({ type: "answer", sdp: local.sdp });
          }
        }
        if (this.#pending && this.#o.peer.signalingState === "stable") {
          this.#pending = false;
          void this.handleNegotiationNeeded();
        }
        this.#failures = 0;
        return "applied";
      } catch (e) {
        this.#o.logger.error(`could not apply the focus's ${description.type}`, e);
        this.#o.logger.debug(`the ${description.type} that failed:\n${description.sdp}`);
        await this.#recover(description.type);
        return "failed";
      }
    });
    if (answer) {
      const applied = () => {
        this.#answersPending--;
      };
      run.then(applied, applied);
    }
    return run;
  }

  close(): void {
    this.#closed = true;
  }

  /**
   * After a description that could not be applied: our own unanswerable offer is rolled back
   * and offered again; after `maxFailures` failures in a row the connection is given up
   * (`onFailed`), so that a fresh call can start from a clean state.
   */
  async #recover(type: "offer" | "answer"): Promise<void> {
    this.#failures++;
    if (type === "answer" && this.#o.peer.signalingState === "have-local-offer") {
      try {
        await this.#o.peer.setLocalDescription({ type: "rollback" });
        this.#pending = true;
      } catch (e) {
        this.#o.logger.warn("could not roll back our offer", e);
      }
    }
    if (this.#failures >= (this.#o.maxFailures ?? CallDefaults.negotiationMaxFailures)) {
      this.#o.onFailed?.(`${this.#failures} descriptions in a row could not be applied`);
      return;
    }
    if (this.#pending && this.#o.peer.signalingState === "stable") {
      this.#pending = false;
      void this.handleNegotiationNeeded();
    }
  }

  #enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(job, job);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
