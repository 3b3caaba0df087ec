// One peer connection between the focus and a device, over werift. It answers the device's
// offers, makes offers of its own (to add or remove forwarded tracks), trickles ICE both ways
// (remote candidates are buffered until a remote description is set) and reports incoming
// layers, data channels and connection state as typed events.
import {
  MediaStream,
  ReceiverEstimatedMaxBitrate,
  RTCPeerConnection,
  RTCRtpHeaderExtensionParameters,
  RtcpPayloadSpecificFeedback,
} from "werift";
import { TypedEmitter } from "../../util/TypedEmitter.ts";
import type { MediaOptions } from "../defaults.ts";
import { rembBitrateFields } from "../feedback/rembEncoding.ts";
import { useCachedFingerprints } from "./certificateFingerprints.ts";
import {
  addGoogleBitrates,
  alignExtensionIds,
  focusCodecs,
  focusHeaderExtensions,
  stripTransportCc,
} from "./codecs.ts";
import { DataChannelLink } from "./DataChannelLink.ts";
import { useDtlsClientGuard } from "./dtlsClientGuard.ts";
import { earlyDtlsDatagramsOf, useEarlyDtls } from "./earlyDtls.ts";
import { IncomingLayer } from "./IncomingLayer.ts";
import { OutgoingTrack } from "./OutgoingTrack.ts";
import { RtxRepair } from "./RtxRepair.ts";
import { RtcpFeedbackRouter } from "./rtcpFeedback.ts";
import { type DropReason, RtpIntercept } from "./rtpIntercept.ts";
import { useFastRtpHeaderParse } from "./rtpParse.ts";
import { SenderReports } from "./SenderReports.ts";
import { focusSctpSending, useSctpSending } from "./sctpSending.ts";
import { flushSends } from "./sendQueue.ts";
import { addSimulcastRecv, type RemoteSimulcast, readRemoteSimulcast } from "./simulcastSdp.ts";
import { slimEvents } from "./slimEvents.ts";
import { enlargeReceiveBuffers } from "./sockets.ts";
import { type DtlsSrtpState, useKeyObjects } from "./srtpKeys.ts";
import { useConfiguredStunOnly } from "./stunDefault.ts";
import type { IceCandidateInfo, MediaKind, PeerConnectionState } from "./types.ts";

export type WebRtcPeerEvents = {
  /** A local ICE candidate to send to the device; undefined = gathering finished. */
  localCandidateGathered: [candidate: IceCandidateInfo | undefined];
  connectionStateChanged: [state: PeerConnectionState];
  dataChannelOpened: [channel: DataChannelLink];
  /** A new incoming stream (one per simulcast rid). */
  layerArrived: [layer: IncomingLayer];
  /** The peer connection wants a new offer/answer round (a track was added or removed). */
  negotiationNeeded: [];
  /** A received datagram was dropped: it did not authenticate, or it replayed an SRTCP index. */
  datagramDropped: [why: DropReason];
};

/**
 * How far from a transceiver (or a DTLS transport) werift's events are looked for: three steps
 * reach those of its sender, receiver and their tracks (16 per send-only transceiver, further
 * steps find no more; ~9 KiB of closures less each, slimEvents.ts).
 */
const SLIM_DEPTH = 3;

export class WebRtcPeer<AppData = unknown> extends TypedEmitter<WebRtcPeerEvents> {
  readonly appData: AppData;
  readonly #pc: RTCPeerConnection;
  readonly #o: MediaOptions;
  #remoteSet = false;
  #pendingCandidates: IceCandidateInfo[] = [];
  #closed = false;
  readonly #rtx: RtxRepair;
  readonly #intercept = new RtpIntercept({
    dropped: (why) => this.emit("datagramDropped", why),
  });
  /** Subscribers' NACK, PLI and FIR, read past werift once the intercept is installed. */
  readonly #feedback = new RtcpFeedbackRouter();
  /** One round of sender reports for all outgoing tracks (SenderReports.ts). */
  readonly #reports = new SenderReports();
  readonly #remoteSimulcast: RemoteSimulcast = new Map();

  constructor(options: MediaOptions, appData: AppData) {
    super();
    this.appData = appData;
    this.#o = options;
    useFastRtpHeaderParse();
    useCachedFingerprints();
    useDtlsClientGuard();
    useEarlyDtls();
    useConfiguredStunOnly();
    this.#pc = new RTCPeerConnection({
      iceServers: options.iceServers,
      iceAdditionalHostAddresses: options.hostAddresses,
      ...(options.portRange ? { icePortRange: options.portRange } : {}),
      iceUseIpv6: false,
      bundlePolicy: "max-bundle",
      codecs: focusCodecs(),
      headerExtensions: focusHeaderExtensions(),
    });
    slimEvents([this.#pc], 1);
    this.#rtx = new RtxRepair(this.#pc);
    this.#intercept.handleRtcp((plain) => this.#feedback.handle(plain));
    this.#pc.onIceCandidate.subscribe((c) => {
      if (this.#closed) return;
      if (!c?.candidate) return this.emit("localCandidateGathered", undefined);
      const j = c.toJSON();
      this.emit("localCandidateGathered", {
        candidate: j.candidate,
        sdpMid: j.sdpMid,
        sdpMLineIndex: j.sdpMLineIndex,
        usernameFragment: j.usernameFragment,
      });
    });
    this.#pc.iceGatheringStateChange.subscribe((s) => {
      if (s === "complete" && !this.#closed) this.emit("localCandidateGathered", undefined);
    });
    this.#pc.connectionStateChange.subscribe((s) => {
      if (s === "connected") {
        this.#rtx.attach();
        for (const d of this.#pc.dtlsTransports) useKeyObjects(d as unknown as DtlsSrtpState);
        slimEvents(this.#pc.dtlsTransports, SLIM_DEPTH, new Set([this.#pc]));
        enlargeReceiveBuffers(this.#pc, this.#o.socketReceiveBufferBytes);
        if (this.#o.interceptRtp) this.#intercept.install(this.#pc);
      }
      this.emit("connectionStateChanged", s);
    });
    this.#pc.onDataChannel.subscribe((dc) => {
      useSctpSending(this.#pc, focusSctpSending);
      const link = new DataChannelLink(dc);
      if (dc.readyState === "open") this.emit("dataChannelOpened", link);
      else
        dc.stateChanged.subscribe((s) => {
          if (s === "open") this.emit("dataChannelOpened", link);
        });
    });
    this.#pc.onRemoteTransceiverAdded.subscribe((t) => {
      this.#slim(t);
      // werift's receiver-side NACK mixes the SSRCs of simulcast layers; the focus NACKs per layer.
      const receiver = t.receiver as unknown as { nack?: { addPacket: (p: unknown) => void } };
      if (receiver.nack) receiver.nack.addPacket = () => {};
      t.onTrack.subscribe((track) => {
        slimEvents([track], 1);
        const layer = new IncomingLayer(track, t, (l, ssrc) => {
          this.#intercept.accept(ssrc, (p) => l.receiveIntercepted(p));
        });
        if (track.kind === "video" && track.rid) this.#rtx.addLayer(t, layer);
        this.emit("layerArrived", layer);
      });
    });
    this.#pc.onNegotiationneeded.subscribe(() => this.emit("negotiationNeeded"));
  }

  get connectionState(): PeerConnectionState {
    return this.#pc.connectionState;
  }

  get signalingState(): string {
    return this.#pc.signalingState;
  }

  /** Retransmissions received as RTX on their own SSRC and recovered. */
  get rtxRepaired(): number {
    return this.#rtx.repaired;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** DTLS datagrams that came before this connection's DTLS socket and were kept for it. */
  get earlyDtlsDatagrams(): number {
    return this.#pc.dtlsTransports.reduce((n, t) => n + earlyDtlsDatagramsOf(t), 0);
  }

  /** Applies a remote offer and returns the answer SDP to send back. */
  async acceptOffer(sdp: string): Promise<string> {
    if (this.#pc.signalingState === "have-local-offer") {
      await this.#pc.setLocalDescription({ type: "rollback" });
    }
    readRemoteSimulcast(sdp, this.#remoteSimulcast);
    // werift gives a new remote m-line a transceiver of the same kind with the same mid, or any
    // without a mid, also one we added to send and never negotiated (e.g. in an offer we just
    // rolled back, whose mids the remote may reuse). Keep those out of the remote offer: they
    // get fresh mids in our next offer.
    const ours = this.#pc
      .getTransceivers()
      .filter(
        (t) =>
          t.currentDirection === null && t.direction === "sendonly" && !t.stopping && !t.stopped,
      );
    for (const t of ours) {
      t.mid = null;
      t.mLineIndex = undefined;
      t.stopping = true;
    }
    try {
      await this.#pc.setRemoteDescription({ type: "offer", sdp: stripTransportCc(sdp) });
    } finally {
      for (const t of ours) t.stopping = false;
    }
    await this.#remoteDescriptionSet();
    answerAsDtlsServer(this.#pc);
    const answer = await this.#pc.createAnswer();
    const local = await this.#pc.setLocalDescription(answer);
    return addGoogleBitrates(
      local.toSdp().sdp,
      this.#o.publisherStartKbps,
      this.#o.publisherMinKbps,
    );
  }

  /** Creates and applies a local offer; returns its SDP. */
  async createOffer(): Promise<string> {
    const offer = await this.#pc.createOffer();
    const local = await this.#pc.setLocalDescription(offer);
    return addSimulcastRecv(local.toSdp().sdp, this.#remoteSimulcast);
  }

  /** Applies the remote answer to our offer. */
  async acceptAnswer(sdp: string): Promise<void> {
    await this.#pc.setRemoteDescription({ type: "answer", sdp: stripTransportCc(sdp) });
    await this.#remoteDescriptionSet();
  }

  /** Drops our pending offer (perfect negotiation, polite side). */
  async rollback(): Promise<void> {
    if (this.#pc.signalingState === "have-local-offer") {
      await this.#pc.setLocalDescription({ type: "rollback" });
    }
  }

  /** Adds a remote candidate; buffered until a remote description is set. */
  async addRemoteCandidate(c: IceCandidateInfo): Promise<void> {
    if (this.#closed) return;
    if (!this.#remoteSet) {
      this.#pendingCandidates.push(c);
      return;
    }
    if (c.candidate === "") return;
    await this.#pc.addIceCandidate({
      candidate: c.candidate,
      sdpMid: c.sdpMid ?? undefined,
      sdpMLineIndex: c.sdpMLineIndex ?? undefined,
      usernameFragment: c.usernameFragment ?? undefined,
    });
  }

  /**
   * Opens a data channel from this side (when the focus places the call, e.g. a link to
   * another focus); `dataChannelOpened` fires once it is open. Call before the first offer.
   */
  openDataChannel(label: string): void {
    const dc = this.#pc.createDataChannel(label, { ordered: true });
    useSctpSending(this.#pc, focusSctpSending);
    const link = new DataChannelLink(dc);
    dc.stateChanged.subscribe((s) => {
      if (s === "open" && !this.#closed) this.emit("dataChannelOpened", link);
    });
  }

  /** Adds a send-only track with the original publication's msid. Needs a new offer. */
  addOutgoingTrack(kind: MediaKind, streamId: string, trackId: string): OutgoingTrack {
    const t = this.#pc.addTransceiver(kind, {
      direction: "sendonly",
      streams: [new MediaStream({ id: streamId })],
    });
    (t.sender as unknown as { trackId: string }).trackId = trackId;
    const negotiated = this.#pc
      .getTransceivers()
      .filter((x) => x !== t)
      .flatMap((x) => x.headerExtensions.map((e) => ({ uri: e.uri, id: e.id })));
    const wanted = focusHeaderExtensions()[kind].map((e) => e.uri);
    t.headerExtensions = alignExtensionIds(negotiated, wanted).map(
      (e) => new RTCRtpHeaderExtensionParameters(e),
    );
    this.#slim(t);
    return new OutgoingTrack(this.#pc, t, streamId, trackId, this.#reports, this.#feedback);
  }

  /** Sends a REMB (bits/s) for the given media SSRCs. */
  sendRemb(bitrate: number, ssrcs: number[]): void {
    if (this.#closed || ssrcs.length === 0) return;
    const transport = this.#pc.dtlsTransports[0];
    if (!transport) return;
    const remb = new ReceiverEstimatedMaxBitrate({
      senderSsrc: 1,
      mediaSsrc: 0,
      bitrate: BigInt(Math.round(bitrate)),
      ...rembBitrateFields(bitrate),
      ssrcNum: ssrcs.length,
      ssrcFeedbacks: ssrcs,
    });
    void transport.sendRtcp([new RtcpPayloadSpecificFeedback({ feedback: remb })]).catch(() => {});
  }

  /** Closes the peer connection. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#pendingCandidates = [];
    this.#intercept.uninstall();
    this.#reports.close();
    flushSends();
    try {
      await this.#pc.close();
    } catch {
      // closing twice or during set-up
    }
    this.emit("connectionStateChanged", "closed");
    this.removeAllListeners();
  }

  /** The werift events of a transceiver, its sender and receiver get shared methods. */
  #slim(t: object): void {
    slimEvents([t], SLIM_DEPTH, new Set<object>([this.#pc, ...this.#pc.dtlsTransports]));
  }

  async #remoteDescriptionSet(): Promise<void> {
    if (this.#remoteSet) return;
    this.#remoteSet = true;
    const pending = this.#pendingCandidates;
    this.#pendingCandidates = [];
    for (const c of pending) await this.addRemoteCandidate(c).catch(() => {});
  }
}

/**
 * The first answer says `a=setup:passive`: the caller becomes the DTLS client and starts the
 * handshake as soon as ICE connects, instead of werift's client here, which waits 100 ms
 * before its first flight (docs/decisions/media-dtls-role.md). Once a transport has started,
 * its role stays what it is.
 */
function answerAsDtlsServer(pc: RTCPeerConnection): void {
  for (const t of pc.dtlsTransports) {
    const d = t as unknown as { role: string; state: string };
    if (d.role === "auto" && d.state === "new") d.role = "server";
  }
}
