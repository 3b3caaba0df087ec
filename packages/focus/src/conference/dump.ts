// A JSON snapshot of what a focus is doing (like mediasoup's dump()), for debugging and tests.
import type { LayerInfo } from "../media/simulcast/LayerSelector.ts";
import type { Publication } from "./Publication.ts";

export interface PublicationDump {
  streamId: string;
  trackId: string;
  kind: "audio" | "video";
  owner: { userId: string; deviceId: string };
  /** Cascading: the focus the track came from, when it came in over a link. */
  origin?: { userId: string; deviceId: string };
  /** A spread conference: the track came from another part (worker) of it. */
  viaSibling?: boolean;
  layers: LayerInfo[];
  subscribers: number;
}

export interface ParticipantDump {
  callId: string;
  userId: string;
  deviceId: string;
  state: string;
  connectionState: string;
  /** Last REMB estimate sent to this participant as a publisher, bits/s. */
  rembBps: number;
  subscriptions: {
    streamId: string;
    trackId: string;
    layer: string | undefined;
    packetsSent: number;
  }[];
}

export interface ConferenceDump {
  roomId: string;
  confId: string;
  /** With conference workers: the worker serving this conference (or this part of it). */
  worker?: number;
  participants: ParticipantDump[];
  publications: PublicationDump[];
}

export function dumpConference(
  key: { roomId: string; confId: string },
  participants: Iterable<{ dump(): ParticipantDump }>,
  publications: Iterable<Publication>,
): ConferenceDump {
  return {
    roomId: key.roomId,
    confId: key.confId,
    participants: [...participants].map((p) => p.dump()),
    publications: [...publications].map(dumpPublication),
  };
}

export function dumpPublication(pub: Publication): PublicationDump {
  return {
    streamId: pub.streamId,
    trackId: pub.trackId,
    kind: pub.kind,
    owner: pub.owner,
    ...(pub.origin ? { origin: pub.origin } : {}),
    ...(pub.viaSibling ? { viaSibling: true } : {}),
    layers: pub.receiver.layers(),
    subscribers: pub.receiver.sinkCount,
  };
}
