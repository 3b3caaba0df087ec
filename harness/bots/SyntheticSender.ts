// Sends a bot's synthetic media over an established DTLS transport: Opus-sized audio every
// 20 ms and VP8 simulcast frames per layer (rid header extension, own SSRC per layer). Answers
// PLI with a keyframe and NACK with a retransmission (plain or RTX); REMB it ignores.
import { randomInt } from "node:crypto";
import {
  GenericNack,
  type RTCDtlsTransport,
  RtcpPayloadSpecificFeedback,
  RtcpTransportLayerFeedback,
  RtpHeader,
  serializeRepairedRtpStreamId,
  serializeSdesMid,
  serializeSdesRTPStreamID,
} from "werift";
import { type LayerSpec, vp8Frame } from "./syntheticMedia.ts";

/** What was agreed in the offer/answer (ids and payload types; 0 = not negotiated). */
export interface Negotiated {
  midExt: number;
  ridExt: number;
  rridExt: number;
  vp8Pt: number;
  rtxPt: number;
  opusPt: number;
  audioMid: string;
  videoMid: string;
}

export interface SyntheticSenderOptions {
  /** SSRC for audio (the one announced in the offer), or undefined for no audio. */
  audioSsrc: number | undefined;
  layers: LayerSpec[];
  fps: number;
  /** Share of video packets not sent the first time, 0..1. */
  videoLoss: number;
  /** Retransmit as RTX on a separate SSRC tagged with repaired-rtp-stream-id. */
  rtxRetransmissions: boolean;
  /** Layers (rids) that start paused. */
  pausedLayers?: string[];
}

interface SentLayer {
  spec: LayerSpec;
  ssrc: number;
  seq: number;
  pictureId: number;
  tl0: number;
  keyframeWanted: boolean;
  paused: boolean;
  history: Map<number, { header: RtpHeader; payload: Buffer }>;
  rtxSsrc: number;
  rtxSeq: number;
}

const HISTORY = 512;

export class SyntheticSender {
  readonly #o: SyntheticSenderOptions;
  readonly #layers: SentLayer[];
  readonly #audio: { ssrc: number; seq: number; ts: number } | undefined;
  #timers: ReturnType<typeof setInterval>[] = [];
  #videoTs = randomInt(0, 0x7fffffff);
  plisReceived = 0;
  videoDropped = 0;
  videoResent = 0;

  constructor(o: SyntheticSenderOptions) {
    this.#o = o;
    this.#audio =
      o.audioSsrc === undefined
        ? undefined
        : { ssrc: o.audioSsrc, seq: rand16(), ts: randomSsrc() };
    this.#layers = o.layers.map((spec) => ({
      spec,
      ssrc: randomSsrc(),
      seq: rand16(),
      pictureId: rand16() & 0x7fff,
      tl0: 0,
      keyframeWanted: true,
      paused: o.pausedLayers?.includes(spec.rid) ?? false,
      history: new Map(),
      rtxSsrc: randomSsrc(),
      rtxSeq: rand16(),
    }));
  }

  /** Starts sending on `transport` with what was negotiated. */
  start(transport: RTCDtlsTransport, n: Negotiated): void {
    transport.onRtcp.subscribe((p) => this.#onRtcp(transport, n, p));
    if (this.#audio) this.#timers.push(setInterval(() => this.#sendAudio(transport, n), 20));
    if (this.#layers.length > 0) {
      this.#timers.push(setInterval(() => this.#sendVideo(transport, n), 1000 / this.#o.fps));
    }
  }

  /** The streams sent: SSRC, kind, rid ("" for audio) and the next sequence number. */
  get streams(): { ssrc: number; kind: "audio" | "video"; rid: string; nextSeq: number }[] {
    const video = this.#layers.map((l) => ({
      ssrc: l.ssrc,
      kind: "video" as const,
      rid: l.spec.rid,
      nextSeq: l.seq,
    }));
    const a = this.#audio;
    return a ? [{ ssrc: a.ssrc, kind: "audio", rid: "", nextSeq: a.seq }, ...video] : video;
  }

  setLayerPaused(rid: string, paused: boolean): void {
    for (const l of this.#layers) {
      if (l.spec.rid !== rid) continue;
      l.paused = paused;
      if (!paused) l.keyframeWanted = true;
    }
  }

  pauseAllVideo(): void {
    for (const l of this.#layers) l.paused = true;
  }

  stop(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }

  #onRtcp(transport: RTCDtlsTransport, n: Negotiated, p: unknown): void {
    if (p instanceof RtcpTransportLayerFeedback && p.feedback instanceof GenericNack) {
      const nack = p.feedback;
      const layer = this.#layers.find((l) => l.ssrc === nack.mediaSourceSsrc);
      for (const seq of nack.lost) {
        const sent = layer?.history.get(seq);
        if (!layer || !sent) continue;
        layer.history.delete(seq);
        this.videoResent++;
        if (!this.#o.rtxRetransmissions || !n.rtxPt) {
          void transport.sendRtp(sent.payload, sent.header).catch(() => {});
          continue;
        }
        const payload = Buffer.concat([Buffer.from([seq >> 8, seq & 0xff]), sent.payload]);
        const header = new RtpHeader({
          payloadType: n.rtxPt,
          sequenceNumber: layer.rtxSeq,
          timestamp: sent.header.timestamp,
          ssrc: layer.rtxSsrc,
          marker: sent.header.marker,
          extensions: [
            { id: n.midExt, payload: serializeSdesMid(n.videoMid) },
            { id: n.rridExt, payload: serializeRepairedRtpStreamId(layer.spec.rid) },
          ],
        });
        layer.rtxSeq = (layer.rtxSeq + 1) & 0xffff;
        void transport.sendRtp(payload, header).catch(() => {});
      }
      return;
    }
    if (!(p instanceof RtcpPayloadSpecificFeedback)) return;
    const fb = p.feedback as { count: number; mediaSsrc?: number };
    if (fb.count !== 1) return; // a PLI
    this.plisReceived++;
    for (const l of this.#layers) if (l.ssrc === fb.mediaSsrc) l.keyframeWanted = true;
  }

  #sendAudio(transport: RTCDtlsTransport, n: Negotiated): void {
    const a = this.#audio;
    if (!a || transport.state !== "connected") return;
    const header = new RtpHeader({
      payloadType: n.opusPt,
      sequenceNumber: a.seq,
      timestamp: a.ts,
      ssrc: a.ssrc,
      marker: false,
      extensions: n.midExt ? [{ id: n.midExt, payload: serializeSdesMid(n.audioMid) }] : [],
    });
    a.seq = (a.seq + 1) & 0xffff;
    a.ts = (a.ts + 960) >>> 0;
    void transport.sendRtp(Buffer.alloc(60, 0xab), header).catch(() => {});
  }

  #sendVideo(transport: RTCDtlsTransport, n: Negotiated): void {
    if (transport.state !== "connected") return;
    this.#videoTs = (this.#videoTs + Math.round(90000 / this.#o.fps)) >>> 0;
    for (const l of this.#layers) {
      if (l.paused) continue;
      const keyframe = l.keyframeWanted;
      l.keyframeWanted = false;
      l.pictureId = (l.pictureId + 1) & 0x7fff;
      l.tl0 = (l.tl0 + 1) & 0xff;
      const payloads = vp8Frame({
        pictureId: l.pictureId,
        tl0PicIdx: l.tl0,
        keyframe,
        width: l.spec.width,
        height: l.spec.height,
        bytes: l.spec.frameBytes,
      });
      payloads.forEach((payload, i) => {
        const extensions = [];
        if (n.midExt) extensions.push({ id: n.midExt, payload: serializeSdesMid(n.videoMid) });
        if (n.ridExt)
          extensions.push({ id: n.ridExt, payload: serializeSdesRTPStreamID(l.spec.rid) });
        const header = new RtpHeader({
          payloadType: n.vp8Pt,
          sequenceNumber: l.seq,
          timestamp: this.#videoTs,
          ssrc: l.ssrc,
          marker: i === payloads.length - 1,
          extensions,
        });
        l.history.set(l.seq, { header, payload });
        if (l.history.size > HISTORY) l.history.delete(l.history.keys().next().value as number);
        l.seq = (l.seq + 1) & 0xffff;
        if (!keyframe && Math.random() < this.#o.videoLoss) {
          this.videoDropped++;
          return;
        }
        void transport.sendRtp(payload, header).catch(() => {});
      });
    }
  }
}

function randomSsrc(): number {
  return randomInt(1, 0xffffffff);
}

function rand16(): number {
  return randomInt(0, 0x10000);
}
