// The bot's peer connection as a browser would set it up (Opus; VP8 with NACK, PLI and REMB,
// optionally RTX; the header extensions Chrome uses with one id per URI across the BUNDLE),
// and what the bot reads from or strips out of SDP.
import { useDtlsClientGuard } from "@matrix-focus/focus";
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RTCRtpHeaderExtensionParameters,
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
import type { Negotiated } from "./SyntheticSender.ts";

/** A werift peer connection on loopback; `rtx` adds video/rtx to the codecs. */
export function createBotPeerConnection(rtx: boolean): RTCPeerConnection {
  // a browser's DTLS client survives a repeated HelloVerifyRequest (dtlsClientGuard.ts)
  useDtlsClientGuard();
  return new RTCPeerConnection({
    iceServers: [],
    iceAdditionalHostAddresses: ["127.0.0.1"],
    iceUseIpv6: false,
    bundlePolicy: "max-bundle",
    codecs: {
      audio: [useOPUS()],
      video: [
        useVP8({ rtcpFeedback: [useNACK(), usePLI(), useREMB()] }),
        ...(rtx ? [new RTCRtpCodecParameters({ mimeType: "video/rtx", clockRate: 90000 })] : []),
      ],
    },
    headerExtensions: {
      audio: [useSdesMid()],
      video: [useSdesMid(), useSdesRTPStreamId(), useRepairedRtpStreamId(), useAbsSendTime()],
    },
  });
}

/** One id per extension across the bundle, as browsers do (werift numbers per kind). */
export function bundleExtensions(
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
export function withoutCandidates(sdp: string): string {
  return sdp.replace(/^a=(candidate:|end-of-candidates).*\r?\n/gm, "");
}

/** What the answer `sdp` agreed, with the mids `pc` gave its transceivers. */
export function negotiatedFrom(sdp: string, pc: RTCPeerConnection): Negotiated {
  const mid = (kind: string) => pc.getTransceivers().find((t) => t.kind === kind)?.mid ?? "";
  return {
    midExt: extId(sdp, "urn:ietf:params:rtp-hdrext:sdes:mid"),
    ridExt: extId(sdp, "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"),
    rridExt: extId(sdp, "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"),
    vp8Pt: payloadType(sdp, "VP8/90000"),
    rtxPt: payloadType(sdp, "rtx/90000"),
    opusPt: payloadType(sdp, "opus/48000"),
    audioMid: mid("audio"),
    videoMid: mid("video"),
  };
}

function extId(sdp: string, uri: string): number {
  const m = new RegExp(`a=extmap:(\\d+)\\S* ${uri.replace(/[.]/g, "\\.")}`).exec(sdp);
  return m?.[1] ? Number(m[1]) : 0;
}

function payloadType(sdp: string, codec: string): number {
  const m = new RegExp(`a=rtpmap:(\\d+) ${codec}`, "i").exec(sdp);
  return m?.[1] ? Number(m[1]) : 0;
}
