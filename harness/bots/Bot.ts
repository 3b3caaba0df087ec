// A headless participant on werift: calls a focus with a Chromium-shaped offer (Opus audio,
// VP8 with simulcast rids, a data channel "datachannel"), publishes synthetic RTP with real
// ICE/DTLS/SRTP, answers pings and focus offers, subscribes, and records what it receives.
// Signalling is injected: `send` delivers the bot's call events to the focus; the test
// routes the focus's events back with `receiveCallEvent`.
// Parts: botSdp.ts (peer connection, SDP), BotChannel.ts (data channel), BotReceiver.ts
// (received tracks), SyntheticSender.ts (media sent), BotRtcp.ts (RTCP).
import { randomUUID } from "node:crypto";
import {
  type CallEvent,
  type CallEventCommon,
  HangupReason,
  type IceCandidate,
  type SdpStreamMetadata,
  Values,
} from "@matrix-focus/protocol";
import { MediaStream, type RTCPeerConnection } from "werift";
import { BotChannel, type JsonMessage, type SubscriptionItem } from "./BotChannel.ts";
import { BotReceiver } from "./BotReceiver.ts";
import { RtcpRecorder } from "./BotRtcp.ts";
import type { BotOptions, DeviceRef } from "./botOptions.ts";
import {
  bundleExtensions,
  createBotPeerConnection,
  negotiatedFrom,
  withoutCandidates,
} from "./botSdp.ts";
import type { ReceivedTrack } from "./ReceivedTrack.ts";
import { SyntheticSender } from "./SyntheticSender.ts";
import { defaultLayers, type LayerSpec } from "./syntheticMedia.ts";

export type { JsonMessage } from "./BotChannel.ts";
export type { BotOptions, DeviceRef } from "./botOptions.ts";

export class Bot {
  readonly user: DeviceRef;
  readonly callId = randomUUID();
  readonly sessionId = randomUUID();
  readonly streamId = randomUUID();
  readonly audioTrackId = randomUUID();
  readonly videoTrackId = randomUUID();
  /** Every call event from the focus. */
  readonly callEvents: CallEvent[] = [];
  /** The latest sdp_stream_metadata the focus announced. */
  metadata: SdpStreamMetadata = {};
  /** Reason of the focus's hangup, once hung up. */
  hangupReason: string | undefined;
  /** RTCP sender reports and report blocks the focus sent. */
  readonly rtcp = new RtcpRecorder();
  readonly #o: BotOptions;
  readonly #pc: RTCPeerConnection;
  readonly #channel: BotChannel;
  readonly #receiver: BotReceiver;
  #media: SyntheticSender | undefined;
  #seq = 0;
  #candidates: IceCandidate[] = [];
  #answered = false;
  #closed = false;

  constructor(o: BotOptions) {
    this.#o = o;
    this.user = o.user;
    this.#pc = createBotPeerConnection(o.rtxRetransmissions ?? false);
    this.#channel = new BotChannel(this.#pc, o.answerPings ?? true, (meta) => {
      this.metadata = meta;
    });
    this.#receiver = new BotReceiver(this.#pc, o.dropReceivedVideo ?? 0);
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
  }

  /** Tracks received from the focus, by "streamId/trackId". */
  get received(): Map<string, ReceivedTrack> {
    return this.#receiver.received;
  }

  /** Every data-channel message from the focus, parsed. */
  get messages(): JsonMessage[] {
    return this.#channel.messages;
  }

  /** Answer m.call.ping (settable). */
  get answerPings(): boolean {
    return this.#channel.answerPings;
  }

  set answerPings(v: boolean) {
    this.#channel.answerPings = v;
  }

  /** How many of the focus's next renegotiation offers to drop unanswered (settable). */
  get offersToIgnore(): number {
    return this.#channel.offersToIgnore;
  }

  set offersToIgnore(n: number) {
    this.#channel.offersToIgnore = n;
  }

  /** Whether the bot's renegotiation answers drop their msid and change SSRC (settable). */
  get answerWithoutMsid(): boolean {
    return this.#channel.answerWithoutMsid;
  }

  set answerWithoutMsid(v: boolean) {
    this.#channel.answerWithoutMsid = v;
  }

  /** Renegotiation offers of the focus dropped so far (see offersToIgnore). */
  get offersIgnored(): number {
    return this.#channel.offersIgnored;
  }

  get pingsReceived(): number {
    return this.#channel.pingsReceived;
  }

  /** Packets from the focus that arrived as RTX (retransmissions). */
  get rtxReceived(): number {
    return this.#receiver.rtxReceived;
  }

  /** PLIs the focus sent for this bot's layers. */
  get plisReceived(): number {
    return this.#media?.plisReceived ?? 0;
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

  /** The peer connection's state. */
  get connectionState(): string {
    return this.#pc.connectionState;
  }

  get dataChannelOpen(): boolean {
    return this.#channel.open;
  }

  /** The received track of another participant's stream/track (undefined until it arrives). */
  track(streamId: string, trackId: string): ReceivedTrack | undefined {
    return this.#receiver.track(streamId, trackId);
  }

  /** Sends the invite with a fresh offer. */
  async join(): Promise<void> {
    this.#channel.create();
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
      pausedLayers: this.#o.pausedLayers ?? [],
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
        if (event.content.sdp_stream_metadata) this.metadata = event.content.sdp_stream_metadata;
        this.#answered = true;
        this.#flushCandidates();
        const transport = this.#pc.dtlsTransports[0];
        if (transport) {
          this.rtcp.attach(transport);
          this.#receiver.countRtx(transport);
          this.#media?.start(transport, negotiatedFrom(sdp, this.#pc));
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

  /** Sends m.call.candidates with exactly these candidates (e.g. unreachable ones). */
  sendCandidates(candidates: IceCandidate[]): void {
    this.#sendCallEvent({ kind: "candidates", content: { ...this.#common(), candidates } });
  }

  /** Sends a PLI for a track the bot receives (false until a packet of it arrived). */
  requestKeyframe(streamId: string, trackId: string): boolean {
    return this.#receiver.requestKeyframe(streamId, trackId);
  }

  /** Stops (or resumes) sending one simulcast layer, as a browser does when bandwidth drops. */
  setLayerPaused(rid: string, paused: boolean): void {
    this.#media?.setLayerPaused(rid, paused);
  }

  /** Sends a fresh offer over the data channel without changing anything (a client re-offer). */
  reoffer(): Promise<void> {
    return this.#channel.offer();
  }

  /** Stops publishing video: renegotiates its m-line to inactive over the data channel. */
  async stopVideo(): Promise<void> {
    const t = this.#pc
      .getTransceivers()
      .find((x) => x.kind === "video" && x.direction === "sendonly");
    if (!t) return;
    t.setDirection("inactive");
    this.#media?.pauseAllVideo();
    await this.#channel.offer();
  }

  /** Sends m.call.track_subscription. */
  subscribe(items: SubscriptionItem[], txnId?: string): void {
    this.#channel.subscription({ subscribe: items }, txnId);
  }

  unsubscribe(items: { stream_id: string; track_id: string }[], txnId?: string): void {
    this.#channel.subscription({ unsubscribe: items }, txnId);
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
    this.#channel.send(msg);
  }

  /** Sends any text on the data channel (to test malformed input). */
  sendRaw(text: string): void {
    this.#channel.sendRaw(text);
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
    this.#sendCallEvent({
      kind: "hangup",
      content: { ...this.#common(), reason: HangupReason.userHangup },
    });
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
}
