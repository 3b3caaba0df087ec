// Sends synthetic simulcast VP8 (one SSRC per rid, tagged with the mid and rid header
// extensions) and Opus over one werift peer connection, writing SRTP straight to its socket
// (RtpOut.ts; werift's own sender does not do simulcast). Answers PLI with a key frame.
import {
  PictureLossIndication,
  type RTCPeerConnection,
  type RTCRtpTransceiver,
  RtcpPayloadSpecificFeedback,
} from "werift";
import type { MediaProfile } from "../../config/defaults.ts";
import { restampMarker, writeMarker } from "../synth/marker.ts";
import { vp8FramePayloads } from "../synth/vp8.ts";
import { type PacedPacket, PacedQueue } from "./PacedQueue.ts";
import { extmapIds } from "./peer.ts";
import { headerTemplate, RtpOut, writeHeader } from "./RtpOut.ts";

const MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
const RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";

interface LayerState {
  rid: string;
  stream: number;
  ssrc: number;
  seq: number;
  counter: number;
  pictureId: number;
  bytesPerFrame: number;
  width: number;
  height: number;
  keyframeDue: boolean;
  lastKeyframeAt: number;
  /** RTP header with this layer's payload type, SSRC, mid and rid (RtpOut.ts). */
  template: Buffer;
}

export interface PublisherCounters {
  packets: number;
  bytes: number;
  plis: number;
}

function rand32(): number {
  return (Math.random() * 0xffffffff) >>> 0;
}

export class SyntheticPublisher {
  readonly index: number;
  readonly counters: PublisherCounters = { packets: 0, bytes: 0, plis: 0 };
  readonly #profile: MediaProfile;
  readonly #layers: LayerState[];
  readonly #audio = { ssrc: 0, seq: 0, counter: 0, template: Buffer.alloc(12) };
  #out: RtpOut | undefined;
  /** Video waiting for the pacer (profile.pacingFactor > 0), else undefined. */
  readonly #paced: PacedQueue | undefined;
  #audioFrame = 0;
  #startedAt = 0;

  readonly #leanSend: boolean;

  /** `leanSend` false: send through werift's `sendRtp` instead of RtpOut's path. */
  constructor(index: number, profile: MediaProfile, leanSend = true) {
    this.index = index;
    this.#leanSend = leanSend;
    this.#profile = profile;
    this.#layers = profile.layers.map((l, i) => ({
      rid: l.rid,
      stream: i + 1,
      ssrc: rand32(),
      seq: rand32() & 0xffff,
      counter: 0,
      pictureId: rand32() & 0x7fff,
      bytesPerFrame: Math.round(l.bitrate / 8 / profile.fps),
      width: l.width,
      height: l.height,
      keyframeDue: true,
      lastKeyframeAt: 0,
      template: Buffer.alloc(12),
    }));
    const videoBitrate = profile.layers.reduce((sum, l) => sum + l.bitrate, 0);
    this.#paced =
      profile.pacingFactor > 0
        ? new PacedQueue(videoBitrate, profile.pacingFactor, profile.pacingIntervalMs)
        : undefined;
  }

  /** Adds the sendonly audio and simulcast video transceivers (before the offer). */
  addTransceivers(pc: RTCPeerConnection): { audio: RTCRtpTransceiver; video: RTCRtpTransceiver } {
    const audio = pc.addTransceiver("audio", { direction: "sendonly" });
    const video = pc.addTransceiver("video", {
      direction: "sendonly",
      simulcast: this.#profile.layers.map((l) => ({ direction: "send" as const, rid: l.rid })),
    });
    return { audio, video };
  }

  /**
   * The offer as a browser would send it: no a=ssrc in the simulcast video section, and one
   * header extension id per URI across all sections (werift numbers each section apart; a
   * BUNDLE receiver such as Janus keeps one id per URI for the whole connection).
   */
  static offerForRemote(sdp: string): string {
    const ids = new Map<string, number>();
    for (const m of sdp.matchAll(/^a=extmap:\d+(?:\/\w+)? (\S+)/gm)) {
      if (!ids.has(m[1]!)) ids.set(m[1]!, ids.size + 1);
    }
    return withoutVideoSsrcs(sdp).replace(
      /^a=extmap:\d+((?:\/\w+)?) (\S+)/gm,
      (_l, dir: string, uri: string) => {
        return `a=extmap:${ids.get(uri)}${dir} ${uri}`;
      },
    );
  }

  /** Starts sending once the remote answer is applied and the connection is up. */
  start(pc: RTCPeerConnection, audio: RTCRtpTransceiver, video: RTCRtpTransceiver, now: number) {
    const answer = pc.remoteDescription?.sdp ?? "";
    const ids = extmapIds(answer.split(/(?=^m=video)/m)[1] ?? answer);
    const audioIds = extmapIds(answer.split(/(?=^m=)/m).find((p) => p.startsWith("m=audio")) ?? "");
    const ascii = (v: string) => Buffer.from(v, "ascii");
    const vp8Pt = video.sender.codec?.payloadType ?? 96;
    const opusPt = audio.sender.codec?.payloadType ?? 111;
    for (const l of this.#layers) {
      l.template = headerTemplate(vp8Pt, l.ssrc, [
        { id: ids.get(MID_URI) ?? 0, data: ascii(video.mid ?? "") },
        { id: ids.get(RID_URI) ?? 0, data: ascii(l.rid) },
      ]);
    }
    this.#audio.ssrc = audio.sender.ssrc;
    this.#audio.seq = rand32() & 0xffff;
    this.#audio.template = headerTemplate(opusPt, this.#audio.ssrc, [
      { id: audioIds.get(MID_URI) ?? 0, data: ascii(audio.mid ?? "") },
    ]);
    const dtls = pc.dtlsTransports[0];
    this.#out = dtls ? new RtpOut(dtls, this.#leanSend) : undefined;
    this.#startedAt = now;
    dtls?.onRtcp.subscribe((p) => this.#onRtcp(p));
  }

  get ssrcs(): number[] {
    return this.#layers.map((l) => l.ssrc);
  }

  #onRtcp(p: unknown): void {
    if (!(p instanceof RtcpPayloadSpecificFeedback)) return;
    if (!(p.feedback instanceof PictureLossIndication)) return;
    const layer = this.#layers.find((l) => l.ssrc === p.feedback.mediaSsrc);
    if (!layer) return;
    this.counters.plis++;
    layer.keyframeDue = true;
  }

  /** Sends one video frame on every layer (call at the frame rate). */
  sendVideoFrame(now: number): void {
    const out = this.#out;
    if (!out) return;
    const p = this.#profile;
    const ts = Math.round(((now - this.#startedAt) * 90_000) / 1000) >>> 0;
    for (const l of this.#layers) {
      const periodic = now - l.lastKeyframeAt >= p.keyframeIntervalMs;
      const key = periodic || (l.keyframeDue && now - l.lastKeyframeAt >= p.pliMinGapMs);
      if (key) {
        l.keyframeDue = false;
        l.lastKeyframeAt = now;
      }
      l.pictureId = (l.pictureId + 1) & 0x7fff;
      const payloads = vp8FramePayloads(
        {
          pictureId: l.pictureId,
          keyframe: key,
          width: l.width,
          height: l.height,
          bytes: l.bytesPerFrame,
          maxPayload: p.maxPayload,
        },
        () => ({ publisher: this.index, stream: l.stream, counter: l.counter++, sentAt: now }),
      );
      const last = payloads.length - 1;
      payloads.forEach((payload, i) => {
        const header = writeHeader(l.template, i === last, l.seq, ts);
        l.seq = (l.seq + 1) & 0xffff;
        if (this.#paced) this.#paced.push({ header, payload }, now);
        else this.#send(out, header, payload);
      });
    }
  }

  /** Sends the video the pacer lets go by now (Pacer.ts calls it every tick, after the frames due). */
  pace(now: number): void {
    const out = this.#out;
    if (!out || !this.#paced) return;
    this.#paced.release(now, (p: PacedPacket) => {
      // the delay a subscriber measures starts when the packet leaves, not when it was made
      restampMarker(p.payload, now);
      this.#send(out, p.header, p.payload);
    });
  }

  #send(out: RtpOut, header: Buffer, payload: Buffer): void {
    out.send(header, payload);
    this.counters.packets++;
    this.counters.bytes += payload.length;
  }

  /** Sends one Opus packet (call every audioFrameMs). */
  sendAudioFrame(now: number): void {
    const out = this.#out;
    if (!out) return;
    const a = this.#audio;
    this.#audioFrame++;
    const payload = Buffer.alloc(this.#profile.audioPayload);
    payload[0] = 0xfc; // an Opus TOC byte (CELT FB 20 ms)
    writeMarker(payload, 1, {
      publisher: this.index,
      stream: 0,
      counter: a.counter++,
      sentAt: now,
    });
    out.send(writeHeader(a.template, false, a.seq, (this.#audioFrame * 960) >>> 0), payload);
    a.seq = (a.seq + 1) & 0xffff;
    this.counters.packets++;
    this.counters.bytes += payload.length;
  }
}

/**
 * `sdp` without the `a=ssrc` lines of its video m-lines: werift lists an SSRC on a rid-based
 * simulcast m-line that it never sends on, where a browser lists none.
 */
export function withoutVideoSsrcs(sdp: string): string {
  return sdp
    .split(/(?=^m=)/m)
    .map((p) => (p.startsWith("m=video") ? p.replace(/^a=ssrc:.*\r?\n/gm, "") : p))
    .join("");
}
