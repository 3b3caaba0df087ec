// Codecs, RTCP feedback and header extensions the focus negotiates (Chromium-compatible):
// Opus; VP8 with RTX, NACK, PLI and REMB feedback; sdes:mid, rtp-stream-id,
// repaired-rtp-stream-id and abs-send-time. No transport-cc: werift's TWCC feedback makes
// Chrome collapse to its lowest simulcast layer (see docs/decisions/media-bandwidth.md).
import {
  RTCRtpCodecParameters,
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

export function focusCodecs(): { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] } {
  return {
    audio: [useOPUS()],
    video: [
      useVP8({ rtcpFeedback: [useNACK(), usePLI(), useREMB()] }),
      new RTCRtpCodecParameters({ mimeType: "video/rtx", clockRate: 90000 }),
    ],
  };
}

export function focusHeaderExtensions() {
  return {
    audio: [useSdesMid(), useAbsSendTime()],
    video: [useSdesMid(), useSdesRTPStreamId(), useRepairedRtpStreamId(), useAbsSendTime()],
  };
}

/** Removes transport-cc (feedback and header extension) from an SDP. */
export function stripTransportCc(sdp: string): string {
  return sdp
    .split(/\r\n/)
    .filter(
      (l) =>
        !/^a=rtcp-fb:\S+ transport-cc/.test(l) && !/^a=extmap:\d+\S* \S*transport-wide-cc/.test(l),
    )
    .join("\r\n");
}

/**
 * Adds x-google-start-bitrate / x-google-min-bitrate (kb/s) to every VP8 fmtp of an answer,
 * which Chrome applies to its send-side bandwidth estimate. Returns the SDP unchanged when
 * both are 0.
 */
export function addGoogleBitrates(sdp: string, startKbps: number, minKbps: number): string {
  if (startKbps <= 0 && minKbps <= 0) return sdp;
  const lines = sdp.split(/\r\n/);
  const vp8Pts = new Set<string>();
  for (const l of lines) {
    const m = /^a=rtpmap:(\d+) VP8\/90000/i.exec(l);
    if (m?.[1]) vp8Pts.add(m[1]);
  }
  const params = [
    ...(startKbps > 0 ? [`x-google-start-bitrate=${startKbps}`] : []),
    ...(minKbps > 0 ? [`x-google-min-bitrate=${minKbps}`] : []),
  ].join(";");
  const out: string[] = [];
  const withFmtp = new Set<string>();
  for (const l of lines) {
    const m = /^a=fmtp:(\d+) (.*)$/.exec(l);
    if (m?.[1] && vp8Pts.has(m[1])) {
      withFmtp.add(m[1]);
      out.push(`a=fmtp:${m[1]} ${m[2]};${params}`);
      continue;
    }
    out.push(l);
    const r = /^a=rtpmap:(\d+) VP8\/90000/i.exec(l);
    if (r?.[1] && !lines.some((x) => x.startsWith(`a=fmtp:${r[1]} `))) {
      out.push(`a=fmtp:${r[1]} ${params}`);
    }
  }
  return out.join("\r\n");
}

/**
 * Header extension ids for a new m-line of a BUNDLE: a URI already negotiated keeps its id
 * (RFC 8843 §9.2: one id means one extension across the bundle), a new URI gets the lowest
 * id nobody uses. werift numbers its configured extensions 1..n across audio and video,
 * which clashes with the ids a browser chose in its offer.
 */
export function alignExtensionIds(
  negotiated: readonly { uri: string; id: number }[],
  wanted: readonly string[],
): { uri: string; id: number }[] {
  const byUri = new Map<string, number>();
  const taken = new Set<number>();
  for (const e of negotiated) {
    if (!byUri.has(e.uri)) byUri.set(e.uri, e.id);
    taken.add(e.id);
  }
  return wanted.map((uri) => {
    let id = byUri.get(uri);
    if (id === undefined) {
      id = 1;
      while (taken.has(id)) id++;
      taken.add(id);
      byUri.set(uri, id);
    }
    return { uri, id };
  });
}
