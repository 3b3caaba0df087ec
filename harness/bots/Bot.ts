// A headless participant on werift: calls a focus with a Chromium-shaped offer (Opus audio,
// VP8 with simulcast rids, a data channel "datachannel"), publishes synthetic RTP with real
// ICE/DTLS/SRTP, answers pings and focus offers, subscribes, and records what it receives.
// Signalling is injected: `send` delivers the bot's call events to the focus; the test
// routes the focus's events back with `receiveCallEvent`.
import { randomUUID } from "node:crypto";
import {
  type CallEvent,
  type CallEventCommon,
  DataChannelNames,
  type IceCandidate,
  isName,
  type SdpStreamMetadata,
  Values,
} from "@matrix-focus/protocol";
import {
  MediaStream,
  type RTCDataChannel,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RTCRtpHeaderExtensionParameters,
  type RTCRtpTransceiver,
  useAbsSendTime,
  useNACK,
  useOPUS,
  usePLI,
  useREMB,
  useRepairedRtpStreamId,
  useSdesMid,
  useSdesRTPStreamId,
  useVP8,
} from "werift";
import { RtcpRecorder, sendNack, sendPli } from "./BotRtcp.ts";
import { ReceivedTrack } from "./ReceivedTrack.ts";
import { SyntheticSender } from "./SyntheticSender.ts";
import { defaultLayers, type LayerSpec } from "./syntheticMedia.ts";

export interface DeviceRef {
  userId: string;
  deviceId: string;
}

export interface BotOptions {
  user: DeviceRef;
  focus: DeviceRef;
  conference: { roomId: string; confId: string };
  /** Delivers a call event from the bot to the focus. */
  send: (event: CallEvent) => void;
  /** Publish audio (default true) and simulcast video (default true). */
  audio?: boolean;
  video?: boolean;
  layers?: LayerSpec[];
  /** Video frames per second (default 15). */
  fps?: number;
  /** Share of video packets not sent the first time (resent when NACKed), 0..1. */
  videoLoss?: number;
  /**
   * Retransmit as Chrome does for simulcast: RTX on a separate SSRC tagged with
   * repaired-rtp-stream-id (default false: resend the original packet).
   */
  rtxRetransmissions?: boolean;
  /** Answer m.call.ping (default true). */
  answerPings?: boolean;
  /**
   * When the bot sends its ICE candidates: after the focus's answer (default), right after the
   * invite, before the invite, or never.
   */
  candidates?: "afterAnswer" | "withInvite" | "beforeInvite" | "never";
  /** Add the focus's ICE candidates (default true). */
  useFocusCandidates?: boolean;
  /** Share of received video packets ignored and NACKed at once, 0..1 (default 0). */
  dropReceivedVideo?: number;
}

type JsonMessage = { type: string; content: Record<string, unknown>; txn_id?: string };

export class Bot {
  readonly user: DeviceRef;
  readonly callId = randomUUID();
  readonly sessionId = randomUUID();
  readonly streamId = randomUUID();
  readonly audioTrackId = randomUUID();
  readonly videoTrackId = randomUUID();
  /** Tracks received from the focus, by "streamId/trackId". */
  readonly received = new Map<string, ReceivedTrack>();
  /** Every data-channel message from the focus, parsed. */
  readonly messages: JsonMessage[] = [];
  /** Every call event from the focus. */
  readonly callEvents: CallEvent[] = [];
  /** The latest sdp_stream_metadata the focus announced. */
  metadata: SdpStreamMetadata = {};
  /** Reason of the focus's hangup, once hung up. */
  hangupReason: string | undefined;
  answerPings: boolean;
  pingsReceived = 0;
  /** RTCP sender reports and report blocks the focus sent. */
  readonly rtcp = new RtcpRecorder();
  readonly #o: BotOptions;
  readonly #pc: RTCPeerConnection;
  #media: SyntheticSender | undefined;
  #dc: RTCDataChannel | undefined;
  #seq = 0;
  #candidates: IceCandidate[] = [];
  #answered = false;
  #closed = false;
  readonly #watched = new WeakSet<RTCRtpTransceiver>();

  constructor(o: BotOptions) {
    this.#o = o;
    this.user = o.user;
    this.answerPings = o.answerPings ?? true;
    this.#pc = new RTCPeerConnection({
      iceServers: [],
      iceAdditionalHostAddresses: ["127.0.0.1"],
      iceUseIpv6: false,
      bundlePolicy: "max-bundle",
      codecs: {
        audio: [useOPUS()],
        video: [
          useVP8({ rtcpFeedback: [useNACK(), usePLI(), useREMB()] }),
          ...(o.rtxRetransmissions
            ? [new RTCRtpCodecParameters({ mimeType: "video/rtx", clockRate: 90000 })]
            : []),
        ],
      },
      headerExtensions: {
        audio: [useSdesMid()],
        video: [useSdesMid(), useSdesRTPStreamId(), useRepairedRtpStreamId(), useAbsSendTime()],
      },
    });
    this.#pc.onIceCandidate.subscribe((c) => {
      if (!c?.candidate) return;
      const j = c.toJSON();
      this.#candidates.push({
        candidate: j.candidate,
        sdpMid: j.sdpMid ?? null,
        sdpMLineIndex: j.sdpMLineIndex ?? null,
      });
      if (this.#answered) this.#flushCandidates();
    });
    this.#pc.onRemoteTransceiverAdded.subscribe((t) => this.#watchIncoming(t));
    this.#pc.onTransceiverAdded.subscribe((t) => this.#watchIncoming(t));
  }

  /** PLIs the focus sent for this bot's layers. */
  get plisReceived(): number {
    return this.#media?.plisReceived ?? 0;
  }

  /** Last REMB bitrate the focus sent, bits/s. */
  get lastRembBps(): number {
    return this.#media?.lastRembBps ?? 0;
  }

  /** Video packets dropped on purpose (videoLoss). */
  get videoDropped(): number {
    return this.#media?.videoDropped ?? 0;
  }

  /** Video packets resent after a NACK. */
  get videoResent(): number {
    return this.#media?.videoResent ?? 0;
  }

  /** The streams this bot sends (SSRC, kind, rid, next sequence number). */
  get sentStreams(): SyntheticSender["streams"] {
    return this.#media?.streams ?? [];
  }

  /** Sends m.call.candidates with exactly these candidates (e.g. unreachable ones). */
  sendCandidates(candidates: IceCandidate[]): void {
    this.#sendCallEvent({ kind: "candidates", content: { ...this.#common(), candidates } });
  }

  /** The peer connection's state. */
  get connectionState(): string {
    return this.#pc.connectionState;
  }

  get dataChannelOpen(): boolean {
    return this.#dc?.readyState === "open";
  }

  /** The received track of another participant's stream/track (undefined until it arrives). */
  track(streamId: string, trackId: string): ReceivedTrack | undefined {
    return this.received.get(`${streamId}/${trackId}`);
  }

  /** Sends the invite with a fresh offer. */
  async join(): Promise<void> {
    this.#dc = this.#pc.createDataChannel(Values.dataChannelLabel, { ordered: true });
    this.#dc.onMessage.subscribe((data) => this.#onMessage(data.toString()));
    const stream = new MediaStream({ id: this.streamId });
    let audioSsrc: number | undefined;
    let layers: LayerSpec[] = [];
    if (this.#o.audio ?? true) {
      const t = this.#pc.addTransceiver("audio", { direction: "sendonly", streams: [stream] });
      (t.sender as unknown as { trackId: string }).trackId = this.audioTrackId;
      t.headerExtensions = bundleExtensions(["mid"]);
      // the SSRC announced in the offer's a=ssrc line, so the focus can route the packets
      audioSsrc = t.sender.ssrc;
    }
    if (this.#o.video ?? true) {
      layers = this.#o.layers ?? defaultLayers;
      const t = this.#pc.addTransceiver("video", {
        direction: "sendonly",
        streams: [stream],
        simulcast: layers.map((l) => ({ direction: "send" as const, rid: l.rid })),
      });
      (t.sender as unknown as { trackId: string }).trackId = this.videoTrackId;
      t.headerExtensions = bundleExtensions(["mid", "rid", "rrid", "abs"]);
    }
    this.#media = new SyntheticSender({
      audioSsrc,
      layers,
      fps: this.#o.fps ?? 15,
      videoLoss: this.#o.videoLoss ?? 0,
      rtxRetransmissions: this.#o.rtxRetransmissions ?? false,
    });
    const offer = await this.#pc.createOffer();
    await this.#pc.setLocalDescription(offer);
    const timing = this.#o.candidates ?? "afterAnswer";
    if (timing === "beforeInvite") {
      await Bot.waitFor(() => this.#pc.iceGatheringState === "complete", "ICE gathering");
      this.#answered = true;
      this.#flushCandidates();
    }
    const metadata: SdpStreamMetadata = {
      [this.streamId]: {
        purpose: Values.purposeUsermedia,
        audio_muted: false,
        video_muted: false,
        tracks: {
          ...(audioSsrc !== undefined ? { [this.audioTrackId]: { kind: "audio" as const } } : {}),
          ...(layers.length
            ? { [this.videoTrackId]: { kind: "video" as const, width: 1280, height: 720 } }
            : {}),
        },
      },
    };
    this.#sendCallEvent({
      kind: "invite",
      content: {
        ...this.#common(),
        // as a browser's first offer: no candidates in the SDP, they are trickled
        offer: { type: "offer", sdp: withoutCandidates(this.#pc.localDescription?.sdp ?? "") },
        lifetime: 60_000,
        sdp_stream_metadata: metadata,
      },
    });
    if (timing === "withInvite") {
      this.#answered = true;
      this.#flushCandidates();
    }
  }

  /** Handles a call event the focus sent to this bot. */
  async receiveCallEvent(event: CallEvent): Promise<void> {
    this.callEvents.push(event);
    if (event.content.call_id !== this.callId) return;
    switch (event.kind) {
      case "answer": {
        const sdp = event.content.answer.sdp;
        await this.#pc.setRemoteDescription({
          type: "answer",
          sdp: this.#o.useFocusCandidates === false ? withoutCandidates(sdp) : sdp,
        });
        const mid = (kind: string) =>
          this.#pc.getTransceivers().find((t) => t.kind === kind)?.mid ?? "";
        if (event.content.sdp_stream_metadata) this.metadata = event.content.sdp_stream_metadata;
        this.#answered = true;
        this.#flushCandidates();
        const transport = this.#pc.dtlsTransports[0];
        if (transport) this.rtcp.attach(transport);
        if (transport) {
          this.#media?.start(transport, {
            midExt: extId(sdp, "urn:ietf:params:rtp-hdrext:sdes:mid"),
            ridExt: extId(sdp, "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"),
            rridExt: extId(sdp, "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"),
            vp8Pt: payloadType(sdp, "VP8/90000"),
            rtxPt: payloadType(sdp, "rtx/90000"),
            opusPt: payloadType(sdp, "opus/48000"),
            audioMid: mid("audio"),
            videoMid: mid("video"),
          });
        }
        return;
      }
      case "candidates":
        if (this.#o.useFocusCandidates === false) return;
        for (const c of event.content.candidates) {
          if (!c.candidate) continue;
          await this.#pc
            .addIceCandidate({
              candidate: c.candidate,
              sdpMid: c.sdpMid ?? undefined,
              sdpMLineIndex: c.sdpMLineIndex ?? undefined,
            })
            .catch(() => {});
        }
        return;
      case "hangup":
        this.hangupReason = event.content.reason ?? "";
        await this.close();
        return;
      default:
        return;
    }
  }

  /** Sends a PLI for a track the bot receives (false until a packet of it arrived). */
  requestKeyframe(streamId: string, trackId: string): boolean {
    const ssrc = this.track(streamId, trackId)?.lastSsrc;
    const transport = this.#pc.dtlsTransports[0];
    if (ssrc === undefined || !transport) return false;
    sendPli(transport, ssrc);
    return true;
  }

  /** Stops (or resumes) sending one simulcast layer, as a browser does when bandwidth drops. */
  setLayerPaused(rid: string, paused: boolean): void {
    this.#media?.setLayerPaused(rid, paused);
  }

  /** Sends a fresh offer over the data channel without changing anything (a client re-offer). */
  async reoffer(): Promise<void> {
    const offer = await this.#pc.createOffer();
    await this.#pc.setLocalDescription(offer);
    this.sendMessage({
      type: DataChannelNames.negotiate.stable,
      content: { description: { type: "offer", sdp: this.#pc.localDescription?.sdp ?? "" } },
    });
  }

  /** Stops publishing video: renegotiates its m-line to inactive over the data channel. */
  async stopVideo(): Promise<void> {
    const t = this.#pc
      .getTransceivers()
      .find((x) => x.kind === "video" && x.direction === "sendonly");
    if (!t) return;
    t.setDirection("inactive");
    this.#media?.pauseAllVideo();
    const offer = await this.#pc.createOffer();
    await this.#pc.setLocalDescription(offer);
    this.sendMessage({
      type: DataChannelNames.negotiate.stable,
      content: { description: { type: "offer", sdp: this.#pc.localDescription?.sdp ?? "" } },
    });
  }

  /** Sends m.call.track_subscription. */
  subscribe(
    items: { stream_id: string; track_id: string; width?: number; height?: number }[],
    txnId?: string,
  ): void {
    this.sendMessage({
      type: DataChannelNames.trackSubscription.stable,
      content: { subscribe: items },
      ...(txnId ? { txn_id: txnId } : {}),
    });
  }

  unsubscribe(items: { stream_id: string; track_id: string }[], txnId?: string): void {
    this.sendMessage({
      type: DataChannelNames.trackSubscription.stable,
      content: { unsubscribe: items },
      ...(txnId ? { txn_id: txnId } : {}),
    });
  }

  /** Subscribes to every track the focus announced (video at the given size). */
  subscribeAll(size: { width?: number; height?: number } = {}, txnId?: string): void {
    const items = Object.entries(this.metadata).flatMap(([streamId, s]) =>
      Object.entries(s.tracks ?? {}).map(([trackId, t]) => ({
        stream_id: streamId,
        track_id: trackId,
        ...(t.kind === "video" ? size : {}),
      })),
    );
    this.subscribe(items, txnId);
  }

  sendMessage(msg: JsonMessage): void {
    this.sendRaw(JSON.stringify(msg));
  }

  /** Sends any text on the data channel (to test malformed input). */
  sendRaw(text: string): void {
    if (this.#dc?.readyState === "open") this.#dc.send(text);
  }

  /**
   * Goes silent without hanging up, as a device that lost its network: stops media and neither
   * sends nor reads anything on its ICE sockets (nothing is closed, so no DTLS alert goes out).
   */
  vanish(): void {
    this.#media?.stop();
    for (const d of this.#pc.dtlsTransports) {
      const ice = d.iceTransport as unknown as {
        connection: { protocols: { transport?: { onData: unknown; send: unknown } }[] };
      };
      for (const p of ice.connection.protocols) {
        if (!p.transport) continue;
        p.transport.onData = () => {};
        p.transport.send = async () => {};
      }
    }
  }

  /** Sends m.call.hangup to the focus and closes. */
  async hangup(): Promise<void> {
    this.#sendCallEvent({ kind: "hangup", content: { ...this.#common(), reason: "user_hangup" } });
    await this.close();
  }

  /** Stops media and closes the peer connection. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#media?.stop();
    await this.#pc.close().catch(() => {});
  }

  /** Waits until `cond()` is true (polling), or throws after `timeoutMs` with `what`. */
  static async waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  #common(): CallEventCommon {
    return {
      call_id: this.callId,
      conf_id: this.#o.conference.confId,
      party_id: this.user.deviceId,
      version: Values.callVersion,
      device_id: this.user.deviceId,
      sender_session_id: this.sessionId,
      dest_session_id: "",
      seq: this.#seq++,
      room_id: this.#o.conference.roomId,
    };
  }

  #sendCallEvent(event: CallEvent): void {
    if (!this.#closed) this.#o.send(event);
  }

  #flushCandidates(): void {
    if (this.#candidates.length === 0 || this.#o.candidates === "never") return;
    const candidates = this.#candidates;
    this.#candidates = [];
    this.#sendCallEvent({ kind: "candidates", content: { ...this.#common(), candidates } });
  }

  #onMessage(raw: string): void {
    let msg: JsonMessage;
    try {
      msg = JSON.parse(raw) as JsonMessage;
    } catch {
      return;
    }
    this.messages.push(msg);
    const meta = msg.content?.sdp_stream_metadata as SdpStreamMetadata | undefined;
    if (isName(DataChannelNames.ping, msg.type)) {
      this.pingsReceived++;
      if (this.answerPings) this.sendMessage({ type: DataChannelNames.pong.stable, content: {} });
    } else if (isName(DataChannelNames.sdpStreamMetadataChanged, msg.type)) {
      if (meta) this.metadata = meta;
    } else if (isName(DataChannelNames.negotiate, msg.type)) {
      const d = msg.content.description as { type: "offer" | "answer"; sdp: string };
      if (meta) this.metadata = meta;
      if (d.type === "offer") void this.#answerOffer(d.sdp);
      else void this.#pc.setRemoteDescription(d).catch(() => {});
    }
  }

  async #answerOffer(sdp: string): Promise<void> {
    await this.#pc.setRemoteDescription({ type: "offer", sdp });
    const answer = await this.#pc.createAnswer();
    await this.#pc.setLocalDescription(answer);
    this.sendMessage({
      type: DataChannelNames.negotiate.stable,
      content: { description: { type: "answer", sdp: this.#pc.localDescription?.sdp ?? "" } },
    });
  }

  #dropNow(rec: ReceivedTrack): boolean {
    const share = this.#o.dropReceivedVideo ?? 0;
    return share > 0 && rec.packets > 0 && Math.random() < share;
  }

  #watchIncoming(t: RTCRtpTransceiver): void {
    if (this.#watched.has(t)) return;
    this.#watched.add(t);
    t.onTrack.subscribe((track) => {
      // the msid is read at the first packet: werift may report the track before storing it
      let rec: ReceivedTrack | undefined;
      track.onReceiveRtp.subscribe((p) => {
        if (!rec) {
          const streamId = t.receiver.remoteStreamId ?? track.streamId ?? "";
          const trackId = t.receiver.remoteTrackId ?? track.id ?? "";
          const key = `${streamId}/${trackId}`;
          rec =
            this.received.get(key) ??
            new ReceivedTrack(streamId, trackId, track.kind === "audio" ? "audio" : "video");
          this.received.set(key, rec);
        }
        const { ssrc, sequenceNumber: seq, timestamp } = p.header;
        if (rec.kind === "video" && !rec.retransmissionArrived(seq) && this.#dropNow(rec)) {
          rec.droppedOnPurpose(seq);
          const transport = this.#pc.dtlsTransports[0];
          if (transport) sendNack(transport, ssrc, [seq]);
          return;
        }
        rec.packetArrived(ssrc, seq, p.payload, timestamp);
      });
    });
  }
}

/** One id per extension across the bundle, as browsers do (werift numbers per kind). */
function bundleExtensions(
  which: ("mid" | "rid" | "rrid" | "abs")[],
): RTCRtpHeaderExtensionParameters[] {
  const all = {
    mid: useSdesMid(),
    rid: useSdesRTPStreamId(),
    rrid: useRepairedRtpStreamId(),
    abs: useAbsSendTime(),
  };
  const ids = { mid: 1, rid: 2, rrid: 4, abs: 3 };
  return which.map((k) => new RTCRtpHeaderExtensionParameters({ uri: all[k].uri, id: ids[k] }));
}

/** The SDP without its a=candidate and a=end-of-candidates lines. */
function withoutCandidates(sdp: string): string {
  return sdp.replace(/^a=(candidate:|end-of-candidates).*\r?\n/gm, "");
}

function extId(sdp: string, uri: string): number {
  const m = new RegExp(`a=extmap:(\\d+)\\S* ${uri.replace(/[.]/g, "\\.")}`).exec(sdp);
  return m?.[1] ? Number(m[1]) : 0;
}

function payloadType(sdp: string, codec: string): number {
  const m = new RegExp(`a=rtpmap:(\\d+) ${codec}`, "i").exec(sdp);
  return m?.[1] ? Number(m[1]) : 0;
}
