// Public types of the client library: options, streams, states, events.

import type { Values } from "@matrix-focus/protocol";
import type { CallError } from "./errors.ts";
import type { ReconnectPolicy } from "./focus/ReconnectPolicy.ts";
import type { Logger } from "./log.ts";

/** A focus that speaks MSC3898: `{"type":"org.matrix.msc3898","user_id","device_id"}`. */
export interface FocusRef {
  type: string;
  user_id: string;
  device_id: string;
  [key: string]: unknown;
}

export interface CallOptions {
  /** Membership event shape written to the room. Default "perDevice" (MatrixRTC). */
  membershipShape?: "perDevice" | "legacy";
  /** Own preferred foci. Default: the MSC3898 foci from the homeserver's /rtc/transports. */
  foci?: FocusRef[];
  /** Per-device shape: "multi_sfu" (own focus, default) or "oldest_membership" (flowchart). */
  focusSelection?: FocusSelection;
  /** A stream to publish; default: getUserMedia with `audio`/`video`. */
  localStream?: MediaStream;
  audio?: boolean | MediaTrackConstraints;
  video?: boolean | MediaTrackConstraints;
  /** Send the camera as three simulcast layers f/h/q. Default true. */
  simulcast?: boolean;
  membershipExpiryMs?: number;
  /** No ping from the focus for this long ends the connection. Default 60000. */
  pingTimeoutMs?: number;
  /** A connection that stays `disconnected` this long is taken as lost. Default 4000. */
  disconnectedGraceMs?: number;
  logger?: Logger;
  /** Spelling of names the client writes. Default "unstable" (what deployed clients write). */
  nameVariant?: "stable" | "unstable";
  /** How reconnects are paced; default DefaultReconnectPolicy. */
  reconnectPolicy?: ReconnectPolicy;
}

export type StreamPurpose = typeof Values.purposeUsermedia | typeof Values.purposeScreenshare;
export type FocusSelection =
  | typeof Values.focusSelectionMultiSfu
  | typeof Values.focusSelectionOldestMembership;

export interface RemoteStream {
  /** The stream_id (msid stream). */
  id: string;
  userId: string;
  deviceId: string;
  purpose: StreamPurpose;
  audioMuted: boolean;
  videoMuted: boolean;
  /** Tracks appear when subscribed. */
  mediaStream: MediaStream;
}

export type CallState = "connecting" | "connected" | "reconnecting" | "failed" | "ended";

export interface CallEvents {
  stateChanged: (state: CallState, reason?: string) => void;
  streamsChanged: (streams: RemoteStream[]) => void;
  localStreamChanged: (stream: MediaStream) => void;
  focusChanged: (focus: FocusRef) => void;
  error: (e: CallError) => void;
}

export interface StreamStats {
  width?: number;
  height?: number;
  fps?: number;
  bitrateKbps?: number;
  framesDecoded?: number;
  /** Own camera: the rid of the largest layer being sent. */
  rid?: string;
  /**
   * The simulcast layer (rid, `f`/`h`/`q`) of the video; `undefined` when it cannot be told
   * (no decoded frame yet, no known full size, a screen share, a size that fits no layer).
   */
  layer?: string;
  /**
   * How `layer` was found. `sent`: the rid of the largest layer this device sends (own camera).
   * `decodedSize`: a received camera video's decoded size against the publisher's full size
   * (`fullWidth` x `fullHeight`, from the focus's stream metadata) — an estimate, since the
   * focus does not say which layer it forwards; it reads low while the publisher's encoder
   * scales every layer down (CPU or bandwidth adaptation).
   */
  layerBasis?: "sent" | "decodedSize";
  fullWidth?: number;
  fullHeight?: number;
}

export interface Call {
  readonly state: CallState;
  readonly focus: FocusRef | undefined;
  readonly localStream: MediaStream;
  readonly remoteStreams: RemoteStream[];
  on<E extends keyof CallEvents>(e: E, l: CallEvents[E]): () => void;
  attach(streamId: string, video: HTMLVideoElement): void;
  detach(video: HTMLVideoElement): void;
  setMicrophoneMuted(m: boolean): Promise<void>;
  setCameraMuted(m: boolean): Promise<void>;
  readonly microphoneMuted: boolean;
  readonly cameraMuted: boolean;
  startScreenShare(stream?: MediaStream): Promise<void>;
  stopScreenShare(): Promise<void>;
  readonly screenSharing: boolean;
  switchCamera(deviceId: string): Promise<void>;
  switchMicrophone(deviceId: string): Promise<void>;
  getStats(streamId: string): Promise<StreamStats | undefined>;
  leave(): Promise<void>;
  /** A JSON snapshot of the call for debugging and tests. */
  dump(): CallDump;
}

export interface CallDump {
  state: CallState;
  roomId: string;
  confId: string;
  callId: string | undefined;
  focus: FocusRef | undefined;
  candidates: FocusRef[];
  membershipShape: "perDevice" | "legacy";
  attempt: number;
  remoteStreams: {
    id: string;
    userId: string;
    deviceId: string;
    purpose: string;
    tracks: string[];
  }[];
  subscriptions: { streamId: string; trackId: string; width?: number; height?: number }[];
  signalingState: string | undefined;
  connectionState: string | undefined;
}
