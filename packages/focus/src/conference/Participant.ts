// One device in a conference, i.e. one call: its peer connection, data channel, keep-alive,
// renegotiation, what it publishes (metadata) and what it receives (subscriptions).
// It reports facts to its Conference as ParticipantInputs; the Conference decides.
import {
  type DataChannelMessage,
  encodeDataChannelMessage,
  type IceCandidate,
  type SdpStreamMetadata,
  Values,
} from "@matrix-focus/protocol";
import type { Logger } from "pino";
import type { MediaOptions } from "../media/defaults.ts";
import { RembSender } from "../media/feedback/RembSender.ts";
import { TrackSender } from "../media/forwarding/TrackSender.ts";
import type { MediaCounters } from "../media/MediaCounters.ts";
import type { WantedSize } from "../media/simulcast/LayerSelector.ts";
import type { DataChannelLink } from "../media/webrtc/DataChannelLink.ts";
import type { IceCandidateInfo } from "../media/webrtc/types.ts";
import { WebRtcPeer } from "../media/webrtc/WebRtcPeer.ts";
import type { Clock, TimerHandle } from "../util/Clock.ts";
import type { CallSender } from "./CallSender.ts";
import { callTimingDefaults, type KeepAliveOptions, type NegotiationTimings } from "./defaults.ts";
import type { ParticipantDump } from "./dump.ts";
import type { DeviceRef } from "./inputs.ts";
import { KeepAlive } from "./KeepAlive.ts";
import { AnswerTimeoutOutcome, Negotiator } from "./Negotiator.ts";
import { negotiatedSenders } from "./negotiatedSenders.ts";
import { type Publication, publicationKey } from "./Publication.ts";
import type { ParticipantInput } from "./participantInputs.ts";
import { canTransition, ParticipantState, type ParticipantStateValue } from "./states.ts";

export interface ParticipantOptions {
  device: DeviceRef;
  callId: string;
  /** The caller's party_id. */
  partyId: string;
  sender: CallSender;
  clock: Clock;
  media: MediaOptions;
  keepAlive: KeepAliveOptions;
  /** Renegotiation answer timeout and re-offers. */
  negotiation: NegotiationTimings;
  /** A call not connected this long after the answer is given up, ms. */
  connectTimeoutMs: number;
  counters: MediaCounters;
  logger: Logger;
  /** Where the participant reports facts (the conference's queue). */
  input: (i: ParticipantInput) => void;
  /** Current metadata this participant may subscribe to (for negotiate messages). */
  subscribable: () => SdpStreamMetadata;
  /** Set when the other end is a focus (a cascade link), see docs/cascading.md. */
  link?: LinkEnd;
}

/** A call that links this focus with another focus of the same conference. */
export interface LinkEnd {
  /** The other focus. */
  focus: DeviceRef;
  /** True on the side that placed the call (and is the impolite side of renegotiation). */
  dialer: boolean;
  /**
   * A sibling link: `focus` is another part (worker) of this same focus serving the same
   * conference (docs/decisions/focus-workers.md), not another focus.
   */
  sibling?: boolean;
}

export interface Subscription {
  publication: Publication;
  sender: TrackSender;
  want: WantedSize;
}

export class Participant {
  readonly device: DeviceRef;
  readonly callId: string;
  readonly partyId: string;
  readonly peer: WebRtcPeer<Participant>;
  readonly subscriptions = new Map<string, Subscription>();
  /** Set when this call is a link to another focus. */
  readonly link: LinkEnd | undefined;
  /** What the participant says about its own streams (from invite / negotiate / metadata). */
  ownMetadata: SdpStreamMetadata = {};
  /** The subscribable set last sent to this participant, as JSON (see announcements.ts). */
  lastAnnouncement: string | undefined;
  readonly #o: ParticipantOptions;
  readonly #negotiator: Negotiator;
  readonly #keepAlive: KeepAlive;
  readonly #remb: RembSender;
  readonly #log: Logger;
  #state: ParticipantStateValue = ParticipantState.connecting;
  #channel: DataChannelLink | undefined;
  #answered = false;
  #candidates: IceCandidate[] = [];
  #candidateTimer: TimerHandle | undefined;
  #unstarted: TrackSender[] = [];
  #connectTimer: TimerHandle | undefined;

  constructor(o: ParticipantOptions) {
    this.#o = o;
    this.device = o.device;
    this.callId = o.callId;
    this.partyId = o.partyId;
    this.link = o.link;
    this.#log = o.logger;
    this.peer = new WebRtcPeer(o.media, this);
    this.#remb = new RembSender(o.clock, o.media, this.peer);
    this.#negotiator = new Negotiator(
      this.peer,
      {
        sendDescription: (type, sdp) => {
          this.#log.debug({ type, sdp }, "sending a description on the data channel");
          this.sendData({
            kind: "negotiate",
            content: { description: { type, sdp }, sdp_stream_metadata: o.subscribable() },
          });
        },
        offerAnswered: (mids) => this.#startSenders(mids),
        failed: (err) => this.#log.warn({ err }, "renegotiation failed"),
        answerIgnored: (reason) => this.#log.info({ reason }, "negotiate answer ignored"),
        answerOverdue: (offer) => o.input({ kind: "answerOverdue", participant: this, offer }),
      },
      { clock: o.clock, timings: o.negotiation, polite: !o.link?.dialer },
    );
    this.#keepAlive = new KeepAlive(o.clock, o.keepAlive, {
      sendPing: () => this.sendData({ kind: "ping", content: {} }),
      timedOut: () => o.input({ kind: "keepAliveTimedOut", participant: this }),
    });
    this.peer.on("localCandidateGathered", (c) => this.#candidateGathered(c));
    let counted = false;
    this.peer.on("connectionStateChanged", (state) => {
      if (state === "connected" && !counted) {
        counted = true; // werift starts a connection's DTLS socket once
        o.counters.dtlsEarlyDatagrams += this.peer.earlyDtlsDatagrams;
      }
      o.input({ kind: "connectionStateChanged", participant: this, state });
    });
    this.peer.on("datagramDropped", (why) => {
      if (why === "replayed") o.counters.srtcpReplayed++;
      else o.counters.srtpRejected++;
    });
    this.peer.on("layerArrived", (layer) =>
      o.input({ kind: "layerArrived", participant: this, layer }),
    );
    this.peer.on("dataChannelOpened", (channel) => {
      this.#channel = channel;
      channel.onMessage((data) =>
        o.input({ kind: "dataChannelMessageReceived", participant: this, raw: data.toString() }),
      );
      o.input({ kind: "dataChannelOpened", participant: this });
    });
  }

  get state(): ParticipantStateValue {
    return this.#state;
  }

  get ended(): boolean {
    return this.#state === ParticipantState.ended;
  }

  setState(to: ParticipantStateValue): void {
    if (this.#state === to) return;
    if (!canTransition(this.#state, to)) {
      this.#log.warn({ from: this.#state, to }, "participant state change refused");
      return;
    }
    this.#log.debug({ from: this.#state, to }, "participant state changed");
    this.#state = to;
    if (to === ParticipantState.connected) {
      this.#o.clock.clearTimeout(this.#connectTimer);
      this.#connectTimer = undefined;
    }
  }

  /** Answers the invite's offer and sends the answer to-device. */
  async answerInvite(offerSdp: string, metadata: SdpStreamMetadata): Promise<void> {
    const sdp = await this.peer.acceptOffer(offerSdp);
    this.#log.debug({ offer: offerSdp, answer: sdp }, "invite answered");
    await this.#o.sender.send("answer", {
      answer: { type: "answer", sdp },
      sdp_stream_metadata: metadata,
    });
    this.#answered = true;
    this.#flushCandidates();
    if (this.#state === ParticipantState.connecting) {
      this.#connectTimer = this.#o.clock.setTimeout(
        () => this.#o.input({ kind: "connectTimedOut", participant: this }),
        this.#o.connectTimeoutMs,
      );
    }
  }

  /**
   * Places the call (a link's dialing side): opens the data channel, sends m.call.invite with
   * an offer and `metadata`, then trickles candidates.
   */
  async dial(metadata: SdpStreamMetadata, lifetimeMs: number): Promise<void> {
    this.peer.openDataChannel(Values.dataChannelLabel);
    const sdp = await this.peer.createOffer();
    // created_ts lets the called focus drop the invite when it arrives after its lifetime
    const invite = {
      offer: { type: "offer" as const, sdp },
      lifetime: lifetimeMs,
      sdp_stream_metadata: metadata,
      created_ts: this.#o.clock.now(),
    };
    await this.#o.sender.send("invite", invite);
    this.#answered = true;
    this.#flushCandidates();
    this.#connectTimer = this.#o.clock.setTimeout(
      () => this.#o.input({ kind: "connectTimedOut", participant: this }),
      this.#o.connectTimeoutMs,
    );
  }

  /** The called side answered our invite (a link's dialing side). */
  dialAnswered(sdp: string): Promise<void> {
    return this.peer.acceptAnswer(sdp);
  }

  async addRemoteCandidates(candidates: IceCandidate[]): Promise<void> {
    for (const c of candidates) {
      const info: IceCandidateInfo = { candidate: c.candidate };
      if (c.sdpMid != null) info.sdpMid = c.sdpMid;
      if (c.sdpMLineIndex != null) info.sdpMLineIndex = c.sdpMLineIndex;
      if (c.usernameFragment != null) info.usernameFragment = c.usernameFragment;
      await this.peer
        .addRemoteCandidate(info)
        .catch((err: unknown) => this.#log.debug({ err }, "remote candidate refused"));
    }
  }

  /** The data channel opened: start keep-alive and allow focus offers. */
  async channelOpened(): Promise<void> {
    this.#keepAlive.start();
    await this.#negotiator.enable();
  }

  pongReceived(): void {
    this.#keepAlive.pongReceived();
  }

  offerReceived(sdp: string): Promise<void> {
    this.#log.debug({ sdp }, "offer received on the data channel");
    return this.#negotiator.offerReceived(sdp);
  }

  answerReceived(sdp: string): Promise<boolean> {
    return this.#negotiator.answerReceived(sdp);
  }

  /**
   * Our renegotiation offer number `offer` was not answered in time (see Negotiator): offers
   * again, or returns true once the retries are spent and the call should be hung up.
   */
  async answerOverdue(offer: number): Promise<boolean> {
    if (this.ended) return false;
    const outcome = await this.#negotiator.answerTimedOut(offer);
    if (outcome === AnswerTimeoutOutcome.reoffered)
      this.#log.info("renegotiation offer not answered in time: offered again");
    if (outcome !== AnswerTimeoutOutcome.gaveUp) return false;
    this.#log.warn(
      { reason: "renegotiation offers never answered" },
      "renegotiation offers not answered after every retry: hanging up",
    );
    return true;
  }

  /** Sends a message on the data channel; false when it is not open. */
  sendData(msg: DataChannelMessage): boolean {
    return this.sendEncoded(encodeDataChannelMessage(msg));
  }

  /** Sends a message already encoded for the data channel; false while it is not open. */
  sendEncoded(wire: string): boolean {
    return this.#channel?.send(wire) ?? false;
  }

  /**
   * Starts receiving a publication; returns false when already subscribed (size updated).
   * `asTrackId`: a sibling part's per-layer track (layerTracks.ts), a subscription of its own
   * sent under that track id.
   */
  subscribe(pub: Publication, want: WantedSize, asTrackId?: string): boolean {
    const key = asTrackId === undefined ? pub.key : publicationKey(pub.streamId, asTrackId);
    const existing = this.subscriptions.get(key);
    if (existing) {
      if (existing.want.width !== want.width || existing.want.height !== want.height) {
        existing.want = want;
        existing.sender.setWantedSize(want);
      }
      return false;
    }
    const out = this.peer.addOutgoingTrack(pub.kind, pub.streamId, asTrackId ?? pub.trackId);
    const sender = new TrackSender(pub.receiver, out, want, this.#o.counters, this);
    this.subscriptions.set(key, { publication: pub, sender, want });
    this.#unstarted.push(sender);
    void this.#negotiator.negotiationNeeded();
    return true;
  }

  /** Stops receiving a publication; false when not subscribed. */
  unsubscribe(pubKey: string): boolean {
    const s = this.subscriptions.get(pubKey);
    if (!s) return false;
    s.sender.close();
    this.subscriptions.delete(pubKey);
    this.#unstarted = this.#unstarted.filter((x) => x !== s.sender);
    void this.#negotiator.negotiationNeeded();
    return true;
  }

  /** Stops every subscription to `pub` (per-layer ones included). */
  unsubscribePublication(pub: Publication): void {
    for (const [key, s] of [...this.subscriptions])
      if (s.publication === pub) this.unsubscribe(key);
  }

  /** Sends m.call.hangup to the caller (to-device). */
  hangup(reason: string): Promise<void> {
    return this.#o.sender.send("hangup", { reason });
  }

  /** Counts a video packet of this participant's publications (bandwidth estimate). */
  videoArrived(ssrc: number, bytes: number): void {
    this.#remb.videoArrived(ssrc, bytes);
  }

  dump(): ParticipantDump {
    return {
      callId: this.callId,
      userId: this.device.userId,
      deviceId: this.device.deviceId,
      state: this.#state,
      connectionState: this.peer.connectionState,
      rembBps: this.#remb.lastSentBps,
      subscriptions: [...this.subscriptions.values()].map((s) => ({
        streamId: s.publication.streamId,
        trackId: s.publication.trackId,
        layer: s.sender.currentLayer,
        packetsSent: s.sender.packetsSent,
      })),
    };
  }

  /** Closes everything this participant owns. Idempotent; does not send a hangup. */
  async close(): Promise<void> {
    if (this.#state === ParticipantState.ended) return;
    this.#state = ParticipantState.ended;
    this.#keepAlive.stop();
    this.#negotiator.stop();
    this.#remb.stop();
    this.#o.clock.clearTimeout(this.#candidateTimer);
    this.#o.clock.clearTimeout(this.#connectTimer);
    for (const s of this.subscriptions.values()) s.sender.close();
    this.subscriptions.clear();
    this.#channel?.close();
    await this.peer.close();
  }

  /** Starts the waiting subscriptions that the answered offer (`mids`) negotiated. */
  #startSenders(mids: readonly (string | undefined)[]): void {
    const { ready, stillWaiting } = negotiatedSenders(this.#unstarted, mids);
    this.#unstarted = stillWaiting;
    for (const s of ready) s.start();
  }

  #candidateGathered(c: IceCandidateInfo | undefined): void {
    if (this.ended) return;
    const entry: IceCandidate = c
      ? { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null }
      : { candidate: "" };
    if (c?.usernameFragment) entry.usernameFragment = c.usernameFragment;
    if (entry.candidate === "" && this.#candidates.some((x) => x.candidate === "")) return;
    this.#candidates.push(entry);
    if (this.#answered && this.#candidateTimer === undefined) {
      this.#candidateTimer = this.#o.clock.setTimeout(
        () => this.#flushCandidates(),
        callTimingDefaults.candidateBatchMs,
      );
    }
  }

  #flushCandidates(): void {
    this.#o.clock.clearTimeout(this.#candidateTimer);
    this.#candidateTimer = undefined;
    if (!this.#answered || this.ended || this.#candidates.length === 0) return;
    const candidates = this.#candidates;
    this.#candidates = [];
    void this.#o.sender.send("candidates", { candidates });
  }
}
