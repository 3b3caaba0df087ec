// Sends synthetic simulcast VP8 (one SSRC per rid, tagged with the mid and rid header
// extensions) and Opus over one werift peer connection, writing RTP straight to its DTLS
// transport (werift's own sender does not do simulcast). Answers PLI with a key frame.
import {
  PictureLossIndication,
  type RTCDtlsTransport,
  type RTCPeerConnection,
  type RTCRtpTransceiver,
  RtcpPayloadSpecificFeedback,
  RtpHeader,
  serializeSdesMid,
  serializeSdesRTPStreamID,
} from "werift";
import type { MediaProfile } from "../../config/defaults.ts";
import { writeMarker } from "../synth/marker.ts";
import { vp8FramePayloads } from "../synth/vp8.ts";
import { extmapIds } from "./peer.ts";

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
  readonly #audio = { ssrc: 0, seq: 0, counter: 0, mid: "" };
  #videoMid = "";
  #midExt = 0;
  #ridExt = 0;
  #audioMidExt = 0;
  #dtls: RTCDtlsTransport | undefined;
  #vp8Pt = 96;
  #opusPt = 111;
  #audioFrame = 0;
  #startedAt = 0;

  constructor(index: number, profile: MediaProfile) {
    this.index = index;
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
    }));
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
    return sdp
      .split(/(?=^m=)/m)
      .map((p) => (p.startsWith("m=video") ? p.replace(/^a=ssrc:.*\r?\n/gm, "") : p))
      .join("")
      .replace(/^a=extmap:\d+((?:\/\w+)?) (\S+)/gm, (_l, dir: string, uri: string) => {
        return `a=extmap:${ids.get(uri)}${dir} ${uri}`;
      });
  }

  /** Starts sending once the remote answer is applied and the connection is up. */
  start(pc: RTCPeerConnection, audio: RTCRtpTransceiver, video: RTCRtpTransceiver, now: number) {
    const answer = pc.remoteDescription?.sdp ?? "";
    const ids = extmapIds(answer.split(/(?=^m=video)/m)[1] ?? answer);
    const audioIds = extmapIds(answer.split(/(?=^m=)/m).find((p) => p.startsWith("m=audio")) ?? "");
    this.#midExt = ids.get(MID_URI) ?? 0;
    this.#ridExt = ids.get(RID_URI) ?? 0;
    this.#audioMidExt = audioIds.get(MID_URI) ?? 0;
    this.#videoMid = video.mid ?? "";
    this.#audio.mid = audio.mid ?? "";
    this.#audio.ssrc = audio.sender.ssrc;
    this.#audio.seq = rand32() & 0xffff;
    this.#dtls = pc.dtlsTransports[0];
    this.#vp8Pt = video.sender.codec?.payloadType ?? this.#vp8Pt;
    this.#opusPt = audio.sender.codec?.payloadType ?? this.#opusPt;
    this.#startedAt = now;
    this.#dtls?.onRtcp.subscribe((p) => this.#onRtcp(p));
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
    const dtls = this.#dtls;
    if (!dtls) return;
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
      payloads.forEach((payload, i) => {
        const header = new RtpHeader({
          payloadType: this.#vp8Pt,
          sequenceNumber: l.seq,
          timestamp: ts,
          ssrc: l.ssrc,
          marker: i === payloads.length - 1,
          extension: true,
          extensions: [
            { id: this.#midExt, payload: serializeSdesMid(this.#videoMid) },
            { id: this.#ridExt, payload: serializeSdesRTPStreamID(l.rid) },
          ].filter((e) => e.id > 0),
        });
        l.seq = (l.seq + 1) & 0xffff;
        this.counters.packets++;
        this.counters.bytes += payload.length;
        void dtls.sendRtp(payload, header);
      });
    }
  }

  /** Sends one Opus packet (call every audioFrameMs). */
  sendAudioFrame(now: number): void {
    const dtls = this.#dtls;
    if (!dtls) return;
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
    const header = new RtpHeader({
      payloadType: this.#opusPt,
      sequenceNumber: a.seq,
      timestamp: (this.#audioFrame * 960) >>> 0,
      ssrc: a.ssrc,
      marker: false,
      extension: this.#audioMidExt > 0,
      extensions:
        this.#audioMidExt > 0 ? [{ id: this.#audioMidExt, payload: serializeSdesMid(a.mid) }] : [],
    });
    a.seq = (a.seq + 1) & 0xffff;
    this.counters.packets++;
    this.counters.bytes += payload.length;
    void dtls.sendRtp(payload, header);
  }
}
