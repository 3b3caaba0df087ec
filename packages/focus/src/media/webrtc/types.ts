// The face of the WebRTC stack that the rest of the media plane sees. Everything werift-
// specific stays in this folder, so that a faster stack can replace parts of it later.
export type { RtcpPacket, RtpPacket } from "werift";

export type MediaKind = "audio" | "video";

/** An ICE candidate as carried by signalling (RFC 8839 `candidate:` attribute value). */
export interface IceCandidateInfo {
  candidate: string;
  sdpMid?: string | undefined;
  sdpMLineIndex?: number | undefined;
  usernameFragment?: string | undefined;
}

export type PeerConnectionState =
  | "new"
  | "connecting"
  | "connected"
  | "disconnected"
  | "failed"
  | "closed";
