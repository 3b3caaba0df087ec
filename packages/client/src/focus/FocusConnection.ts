// One call (one peer connection) from this device to one focus, MSC3898:
// to-device m.call.invite with the offer -> the focus's m.call.answer (matched by call_id and
// dest_session_id) -> trickled m.call.candidates both ways -> the data channel opens, after
// which signalling runs on it (DataChannelSignaller, Negotiator). Ends on the focus's hangup,
// a ping timeout, a lost connection (ConnectivityWatch), a closed data channel, or no answer
// in time; the owner decides what follows.

import type { CallEvent, NameVariant, SdpStreamMetadata } from "@matrix-focus/protocol";
import { Values } from "@matrix-focus/protocol";
import { CallErrorReason, type CallErrorReasonCode } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { CallIdentity } from "../matrix/callMessages.ts";
import { CallMessageWriter, rejectReason } from "../matrix/callMessages.ts";
import type { ToDeviceChannel } from "../matrix/ToDeviceChannel.ts";
import { DataChannelSignaller } from "../signalling/DataChannelSignaller.ts";
import { Negotiator } from "../signalling/Negotiator.ts";
import type { LocalMedia } from "../tracks/LocalMedia.ts";
import { Publisher } from "../tracks/Publisher.ts";
import type { ReceivedTrack } from "../tracks/RemoteStreams.ts";
import type { SubscriptionUpdate } from "../tracks/SubscriptionManager.ts";
import { msidsByMid } from "../tracks/sdp.ts";
import type { Clock, TimerHandle } from "../util/Clock.ts";
import { Emitter } from "../util/Emitter.ts";
import { CandidateBatcher } from "./CandidateBatcher.ts";
import { ConnectivityWatch } from "./ConnectivityWatch.ts";

export interface FocusConnectionOptions {
  toDevice: ToDeviceChannel;
  identity: CallIdentity;
  local: LocalMedia;
  userId: string;
  simulcast: boolean;
  layers: readonly RTCRtpEncodingParameters[];
  iceServers: RTCIceServer[];
  clock: Clock;
  logger: Logger;
  variant: NameVariant;
  inviteLifetimeMs: number;
  answerTimeoutMs: number;
  connectTimeoutMs: number;
  pingTimeoutMs: number;
  /** A connection `disconnected` (peer or ICE state) this long is taken as lost. */
  disconnectedGraceMs: number;
  candidateBatchMs: number;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
}

export type FocusConnectionEvents = {
  connected: () => void;
  /** `hangupReason` is the focus's own reason when it hung up. */
  ended: (reason: string, code: CallErrorReasonCode, hangupReason?: string) => void;
  /** The full set of streams one can subscribe to (answer, metadata_changed). */
  availableStreamsReceived: (md: SdpStreamMetadata) => void;
  /** What the focus's latest negotiation carries. */
  carriedStreamsReceived: (md: SdpStreamMetadata) => void;
  receivedTracksChanged: (tracks: ReceivedTrack[]) => void;
};

export class FocusConnection extends Emitter<FocusConnectionEvents> {
  readonly pc: RTCPeerConnection;
  readonly publisher: Publisher;
  #o: FocusConnectionOptions;
  #writer: CallMessageWriter;
  #signaller: DataChannelSignaller;
  #negotiator: Negotiator;
  #answeredBy: { partyId: string; sessionId: string } | undefined;
  #remoteCandidates: RTCIceCandidateInit[] = [];
  #candidates: CandidateBatcher;
  #timer: TimerHandle | undefined;
  #connectivity: ConnectivityWatch;
  #inviteSentAt = 0;
  #ended = false;
  #unsubscribe: () => void;
  answerLatencyMs: number | undefined;

  constructor(o: FocusConnectionOptions) {
    super(o.logger);
    this.#o = o;
    this.#writer = new CallMessageWriter(o.identity, () => o.clock.now(), o.variant);
    this.#candidates = new CandidateBatcher(o.clock, o.candidateBatchMs, (candidates) => {
      const msg = this.#writer.build("candidates", { candidates });
      o.toDevice.send(o.identity.focusUserId, o.identity.focusDeviceId, msg).catch(() => undefined);
    });
    const create = o.createPeerConnection ?? ((c: RTCConfiguration) => new RTCPeerConnection(c));
    this.pc = create({
      iceServers: o.iceServers,
      bundlePolicy: "max-bundle",
      rtcpMuxPolicy: "require",
    });
    const channel = this.pc.createDataChannel(Values.dataChannelLabel, { ordered: true });
    this.#signaller = new DataChannelSignaller({
      channel,
      clock: o.clock,
      logger: o.logger,
      pingTimeoutMs: o.pingTimeoutMs,
    });
    this.#connectivity = new ConnectivityWatch({
      pc: this.pc,
      clock: o.clock,
      logger: o.logger,
      graceMs: o.disconnectedGraceMs,
      lost: (reason) => this.#end(reason, CallErrorReason.connectionFailed),
    });
    this.#negotiator = new Negotiator({
      peer: this.pc,
      logger: o.logger,
      sendDescription: (d) => this.#sendDescription(d),
      onFailed: (reason) =>
        this.#end(`negotiation failed: ${reason}`, CallErrorReason.negotiationFailed),
    });
    this.publisher = new Publisher({
      pc: this.pc,
      local: o.local,
      userId: o.userId,
      deviceId: o.identity.deviceId,
      simulcast: o.simulcast,
      layers: o.layers,
    });
    this.#wire();
    this.#unsubscribe = o.toDevice.on("callEventReceived", (e, sender) =>
      this.#onCallEvent(e, sender),
    );
  }

  get callId(): string {
    return this.#o.identity.callId;
  }

  get connected(): boolean {
    return this.#signaller.open && !this.#ended;
  }

  /** Publishes the local media and sends the invite. */
  async start(): Promise<void> {
    const o = this.#o;
    this.publisher.publishUserMedia();
    if (o.local.screen !== undefined) this.publisher.publishScreen(o.local.screen);
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    const sdp = this.pc.localDescription?.sdp ?? offer.sdp ?? "";
    const invite = this.#writer.build("invite", {
      offer: { type: "offer", sdp },
      lifetime: o.inviteLifetimeMs,
      invitee: o.identity.focusUserId,
      sdp_stream_metadata: this.publisher.metadata(),
    });
    this.#inviteSentAt = o.clock.now();
    this.#armTimer(o.answerTimeoutMs, "no answer from the focus", CallErrorReason.focusUnreachable);
    o.logger.info(
      `inviting focus ${o.identity.focusUserId}/${o.identity.focusDeviceId} (call ${this.callId})`,
    );
    try {
      await o.toDevice.send(o.identity.focusUserId, o.identity.focusDeviceId, invite);
    } catch (e) {
      this.#end(`could not send the invite: ${e}`, CallErrorReason.focusUnreachable);
    }
  }

  sendSubscription(update: SubscriptionUpdate): boolean {
    const content: {
      subscribe?: SubscriptionUpdate["subscribe"];
      unsubscribe?: SubscriptionUpdate["unsubscribe"];
    } = {};
    if (update.subscribe.length > 0) content.subscribe = update.subscribe;
    if (update.unsubscribe.length > 0) content.unsubscribe = update.unsubscribe;
    const ok = this.#signaller.send({ kind: "trackSubscription", content });
    if (ok) {
      this.#o.logger.debug(
        `track_subscription +${update.subscribe.length} -${update.unsubscribe.length}`,
        content,
      );
    }
    return ok;
  }

  /** Tells the focus our metadata changed (mute, publish). */
  sendMetadataChanged(): boolean {
    return this.#signaller.send({
      kind: "sdpStreamMetadataChanged",
      content: { sdp_stream_metadata: this.publisher.metadata() },
    });
  }

  /** The tracks received now, by the remote SDP's msid per mid. */
  receivedTracks(): ReceivedTrack[] {
    const sdp = this.pc.remoteDescription?.sdp;
    if (sdp === undefined) return [];
    const msids = msidsByMid(sdp);
    const out: ReceivedTrack[] = [];
    for (const t of this.pc.getTransceivers()) {
      if (t.mid === null || t.currentDirection === "stopped") continue;
      const dir = t.currentDirection;
      if (dir !== "recvonly" && dir !== "sendrecv") continue;
      const m = msids.get(t.mid);
      if (m === undefined) continue;
      out.push({ streamId: m.streamId, trackId: m.trackId, track: t.receiver.track });
    }
    return out;
  }

  /** The receiver of a received track. */
  receiverOf(track: MediaStreamTrack): RTCRtpReceiver | undefined {
    return this.pc.getReceivers().find((r) => r.track === track);
  }

  /** Hangs up (to-device m.call.hangup) and closes. */
  async hangup(reason: string): Promise<void> {
    const o = this.#o;
    const msg = this.#writer.build("hangup", { reason });
    this.close();
    try {
      await o.toDevice.send(o.identity.focusUserId, o.identity.focusDeviceId, msg);
      o.logger.info(`hung up call ${this.callId} (${reason})`);
    } catch (e) {
      o.logger.warn("could not send the hangup", e);
    }
  }

  close(): void {
    this.#ended = true;
    this.#o.clock.clearTimeout(this.#timer);
    this.#connectivity.close();
    this.#candidates.close();
    this.#unsubscribe();
    this.#signaller.close();
    this.#negotiator.close();
    try {
      this.pc.close();
    } catch {
      // already closed
    }
    this.removeAll();
  }

  #wire(): void {
    const pc = this.pc;
    pc.addEventListener("icecandidate", (ev) => this.#candidates.add(ev.candidate));
    pc.addEventListener("connectionstatechange", () => {
      this.#o.logger.info(`peer connection ${pc.connectionState}`);
      this.#connectivity.check();
    });
    pc.addEventListener("iceconnectionstatechange", () => {
      this.#o.logger.debug(`ICE connection ${pc.iceConnectionState}`);
      this.#connectivity.check();
    });
    pc.addEventListener("track", () => this.#tracksChanged());
    // Before the answer the initial offer covers everything; afterwards the browser fires
    // this only when something new has to be negotiated.
    pc.addEventListener("negotiationneeded", () => {
      if (this.#answeredBy !== undefined && pc.remoteDescription !== null) {
        void this.#negotiator.handleNegotiationNeeded();
      }
    });
    const s = this.#signaller;
    s.on("opened", () => {
      this.#o.clock.clearTimeout(this.#timer);
      this.#negotiator.setReady(true);
      this.emit("connected");
    });
    s.on("closed", () => this.#end("the data channel closed", CallErrorReason.connectionFailed));
    s.on("pingTimedOut", () => this.#end("the focus stopped pinging", CallErrorReason.pingTimeout));
    s.on("negotiateReceived", (c) => void this.#onNegotiate(c.description, c.sdp_stream_metadata));
    s.on("metadataChangedReceived", (c) =>
      this.emit("availableStreamsReceived", c.sdp_stream_metadata),
    );
  }

  async #onNegotiate(
    description: { type: "offer" | "answer"; sdp: string },
    md: SdpStreamMetadata | undefined,
  ): Promise<void> {
    if (md !== undefined) this.emit("carriedStreamsReceived", md);
    const outcome = await this.#negotiator.handleDescription(description);
    if (outcome === "applied") this.#tracksChanged();
  }

  #sendDescription(d: { type: "offer" | "answer"; sdp: string }): boolean {
    const metadata = this.publisher.metadata();
    if (this.#signaller.open) {
      return this.#signaller.send({
        kind: "negotiate",
        content: { description: d, sdp_stream_metadata: metadata },
      });
    }
    const o = this.#o;
    const msg = this.#writer.build("negotiate", {
      description: d,
      lifetime: o.inviteLifetimeMs,
      sdp_stream_metadata: metadata,
    });
    o.toDevice.send(o.identity.focusUserId, o.identity.focusDeviceId, msg).catch(() => undefined);
    return true;
  }

  #onCallEvent(event: CallEvent, sender: string): void {
    if (this.#ended || event.content.call_id !== this.callId) return;
    const why = rejectReason(event, sender, this.#o.identity, this.#answeredBy);
    if (why !== undefined) {
      this.#o.logger.warn(`ignored ${event.kind} for call ${this.callId}: ${why}`);
      return;
    }
    switch (event.kind) {
      case "answer":
        void this.#onAnswer(event.content);
        return;
      case "candidates":
        for (const c of event.content.candidates) this.#onRemoteCandidate(c);
        return;
      case "hangup":
        this.#end(
          `the focus hung up: ${event.content.reason ?? "no reason"}`,
          CallErrorReason.focusHungUp,
          event.content.reason,
        );
        return;
      case "negotiate":
        void this.#onNegotiate(event.content.description, event.content.sdp_stream_metadata);
        return;
      case "sdpStreamMetadataChanged":
        this.emit("availableStreamsReceived", event.content.sdp_stream_metadata);
        return;
      default:
        this.#o.logger.debug(`ignored ${event.kind} from the focus`);
    }
  }

  async #onAnswer(c: Extract<CallEvent, { kind: "answer" }>["content"]): Promise<void> {
    const o = this.#o;
    if (this.#answeredBy !== undefined) {
      o.logger.debug("ignored a repeated answer");
      return;
    }
    this.#answeredBy = { partyId: c.party_id, sessionId: c.sender_session_id };
    this.#writer.destSessionId = c.sender_session_id;
    this.answerLatencyMs = o.clock.now() - this.#inviteSentAt;
    o.logger.info(`focus answered in ${this.answerLatencyMs} ms`);
    this.#armTimer(
      o.connectTimeoutMs,
      "the connection did not come up",
      CallErrorReason.connectionFailed,
    );
    if (c.sdp_stream_metadata !== undefined)
      this.emit("availableStreamsReceived", c.sdp_stream_metadata);
    try {
      await this.pc.setRemoteDescription(c.answer);
    } catch (e) {
      this.#end(`the focus's answer could not be applied: ${e}`, CallErrorReason.negotiationFailed);
      return;
    }
    const select = this.#writer.build("selectAnswer", { selected_party_id: c.party_id });
    o.toDevice
      .send(o.identity.focusUserId, o.identity.focusDeviceId, select)
      .catch(() => undefined);
    for (const cand of this.#remoteCandidates.splice(0)) await this.#addCandidate(cand);
    this.#tracksChanged();
  }

  #onRemoteCandidate(c: {
    candidate: string;
    sdpMid?: string | null;
    sdpMLineIndex?: number | null;
  }): void {
    if (c.candidate === "") return; // end of candidates
    const init: RTCIceCandidateInit = {
      candidate: c.candidate,
      sdpMid: c.sdpMid ?? null,
      sdpMLineIndex: c.sdpMLineIndex ?? null,
    };
    if (this.pc.remoteDescription === null) this.#remoteCandidates.push(init);
    else void this.#addCandidate(init);
  }

  async #addCandidate(c: RTCIceCandidateInit): Promise<void> {
    try {
      await this.pc.addIceCandidate(c);
    } catch (e) {
      this.#o.logger.warn(`could not add a candidate from the focus: ${c.candidate}`, e);
    }
  }

  #tracksChanged(): void {
    if (!this.#ended) this.emit("receivedTracksChanged", this.receivedTracks());
  }

  #armTimer(ms: number, reason: string, code: CallErrorReasonCode): void {
    this.#o.clock.clearTimeout(this.#timer);
    this.#timer = this.#o.clock.setTimeout(() => this.#end(reason, code), ms);
  }

  #end(reason: string, code: CallErrorReasonCode, hangupReason?: string): void {
    if (this.#ended) return;
    this.#o.logger.warn(`call ${this.callId} ended: ${reason}`);
    this.#connectivity.close();
    this.emit("ended", reason, code, hangupReason);
    this.#ended = true;
  }
}
