// Builds what a conference holds per call: the CallSender for its to-device messages, the
// Participant for its peer connection, and the publication of a track a participant sends.
import { randomUUID } from "node:crypto";
import type { SdpStreamMetadata } from "@matrix-focus/protocol";
import type { Logger } from "pino";
import { TrackReceiver } from "../media/forwarding/TrackReceiver.ts";
import type { IncomingLayer } from "../media/webrtc/IncomingLayer.ts";
import { CallSender } from "./CallSender.ts";
import type { ConferenceOptions } from "./conferenceOptions.ts";
import type { DeviceRef } from "./inputs.ts";
import { type LinkEnd, Participant } from "./Participant.ts";
import { type Publication, publicationKey } from "./Publication.ts";
import type { ParticipantInput } from "./participantInputs.ts";

/** A CallSender for call `callId` with device `to`, under a new focus session id. */
export function newCallSender(
  o: ConferenceOptions,
  to: DeviceRef,
  callId: string,
  destSessionId: string,
  logger: Logger,
): CallSender {
  return new CallSender({
    signalling: o.signalling,
    focus: o.focus,
    to,
    conference: o.key,
    callId,
    focusSessionId: randomUUID(),
    destSessionId,
    logger,
  });
}

export interface NewParticipant {
  device: DeviceRef;
  callId: string;
  partyId: string;
  sender: CallSender;
  link?: LinkEnd;
  logger: Logger;
  input: (i: ParticipantInput) => void;
  subscribable: () => SdpStreamMetadata;
}

export function newParticipant(o: ConferenceOptions, n: NewParticipant): Participant {
  return new Participant({
    device: n.device,
    callId: n.callId,
    partyId: n.partyId,
    sender: n.sender,
    ...(n.link ? { link: n.link } : {}),
    clock: o.clock,
    media: o.media,
    keepAlive: o.keepAlive,
    negotiation: o.negotiation,
    connectTimeoutMs: o.limits.connectTimeoutMs,
    counters: o.counters,
    logger: n.logger,
    input: n.input,
    subscribable: n.subscribable,
  });
}

/** The publication of a track `p` started sending, carrying its first layer. */
export function newPublication(
  o: ConferenceOptions,
  p: Participant,
  layer: IncomingLayer,
): Publication {
  const receiver = new TrackReceiver<Participant>({
    kind: layer.kind,
    streamId: layer.streamId,
    trackId: layer.trackId,
    clock: o.clock,
    media: o.media,
    counters: o.counters,
    appData: p,
    ...(layer.kind === "video"
      ? { bytesArrived: (ssrc: number, n: number) => p.videoArrived(ssrc, n) }
      : {}),
  });
  receiver.addLayer(layer);
  return {
    key: publicationKey(layer.streamId, layer.trackId),
    streamId: layer.streamId,
    trackId: layer.trackId,
    kind: layer.kind,
    owner: p.device,
    ownerCallId: p.callId,
    receiver,
  };
}
