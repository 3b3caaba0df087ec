// The load generator's peer connections (werift): VP8 + Opus, the header extensions SFUs
// need for simulcast (mid, rid), NACK/PLI feedback, ICE only on the address facing the
// system under test.
import {
  type DtlsSrtpState,
  useCachedFingerprints,
  useConfiguredStunOnly,
  useDtlsClientGuard,
  useEarlyDtls,
  useKeyObjects,
} from "@matrix-focus/focus";
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  useAbsSendTime,
  useSdesMid,
  useSdesRTPStreamId,
} from "werift";

export interface PeerOptions {
  /** The only local address ICE may use (the host side of the veth pair). */
  localAddress: string;
}

export function vp8Codec(): RTCRtpCodecParameters {
  return new RTCRtpCodecParameters({
    mimeType: "video/VP8",
    clockRate: 90_000,
    payloadType: 96,
    rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }, { type: "goog-remb" }],
  });
}

export function opusCodec(): RTCRtpCodecParameters {
  return new RTCRtpCodecParameters({
    mimeType: "audio/opus",
    clockRate: 48_000,
    channels: 2,
    payloadType: 111,
  });
}

export function createPeer(o: PeerOptions): RTCPeerConnection {
  // as a browser's, the load's DTLS clients survive a repeated HelloVerifyRequest, its DTLS
  // servers keep a ClientHello that arrives before their own ICE check succeeded, and they do
  // not parse their certificate for every m-section, and they ask no STUN server (none given)
  useDtlsClientGuard();
  useEarlyDtls();
  useCachedFingerprints();
  useConfiguredStunOnly();
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceInterfaceAddresses: { udp4: o.localAddress },
    iceAdditionalHostAddresses: o.localAddress.startsWith("127.") ? [o.localAddress] : undefined,
    iceUseIpv6: false,
    codecs: { audio: [opusCodec()], video: [vp8Codec()] },
    headerExtensions: {
      audio: [useSdesMid()],
      video: [useSdesMid(), useSdesRTPStreamId(), useAbsSendTime()],
    },
  });
  // as in the focus, werift's SRTP, SRTCP and DTLS record keys become KeyObjects once the
  // connection is up (a raw key Buffer is imported again on every cipher call; srtpKeys.ts):
  // a browser's DTLS and SCTP are native code, so the load's own cost per record stays small
  pc.connectionStateChange.subscribe((s) => {
    if (s !== "connected") return;
    for (const d of pc.dtlsTransports) useKeyObjects(d as unknown as DtlsSrtpState);
  });
  return pc;
}

/** Resolves when the peer connection is connected; rejects on failure or after `ms`. */
export function connected(pc: RTCPeerConnection, ms: number): Promise<void> {
  if (pc.connectionState === "connected") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.unSubscribe();
      reject(new Error(`not connected after ${ms} ms (state ${pc.connectionState})`));
    }, ms);
    const sub = pc.connectionStateChange.subscribe((s) => {
      if (s === "connected") {
        clearTimeout(timer);
        sub.unSubscribe();
        resolve();
      } else if (s === "failed" || s === "closed") {
        clearTimeout(timer);
        sub.unSubscribe();
        // which layer gave up: ICE (no answer to connectivity checks) or DTLS (handshake)
        const dtls = pc.dtlsTransports[0]?.state ?? "none";
        reject(new Error(`peer connection ${s} (ICE ${pc.iceConnectionState}, DTLS ${dtls})`));
      }
    });
  });
}

/** `a=extmap` ids of an SDP, by URI (first m-section that has them). */
export function extmapIds(sdp: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of sdp.matchAll(/^a=extmap:(\d+)(?:\/\w+)? (\S+)/gm)) {
    if (!out.has(m[2]!)) out.set(m[2]!, Number(m[1]));
  }
  return out;
}
