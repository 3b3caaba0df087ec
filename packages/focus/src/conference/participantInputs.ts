// Facts a Participant reports to its Conference; they go through the conference's serial
// queue like the inputs from the Matrix side.
import type { IncomingLayer } from "../media/webrtc/IncomingLayer.ts";
import type { PeerConnectionState } from "../media/webrtc/types.ts";
import type { Participant } from "./Participant.ts";

export type ParticipantInput =
  | { kind: "dataChannelOpened"; participant: Participant }
  | { kind: "dataChannelMessageReceived"; participant: Participant; raw: string }
  | { kind: "connectionStateChanged"; participant: Participant; state: PeerConnectionState }
  | { kind: "layerArrived"; participant: Participant; layer: IncomingLayer }
  | { kind: "keepAliveTimedOut"; participant: Participant }
  /** The focus's renegotiation offer number `offer` was not answered in time. */
  | { kind: "answerOverdue"; participant: Participant; offer: number }
  | { kind: "connectTimedOut"; participant: Participant };
