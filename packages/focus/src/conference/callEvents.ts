// Matrix call events (m.call.*) for a call this conference already holds: checked to come from
// the call's own party, then applied to its Participant. Invites are handled by the Conference.
import type {
  CallEvent,
  HangupReasonCode,
  IceCandidate,
  SdpStreamMetadata,
} from "@matrix-focus/protocol";
import { HangupReason } from "@matrix-focus/protocol";
import type { Logger } from "pino";
import { type DeviceRef, deviceKeyString } from "./inputs.ts";
import type { Participant } from "./Participant.ts";
import { ParticipantState } from "./states.ts";

/** What handling a call event needs from its conference. */
export interface CallEventContext {
  /** This focus. */
  focus: DeviceRef;
  log: Logger;
  /** Candidates for a call whose invite has not arrived yet. */
  keepEarlyCandidates: (callId: string, candidates: IceCandidate[]) => void;
  endCall: (p: Participant, reason: HangupReasonCode, sendHangup: boolean) => Promise<void>;
  ownMetadataChanged: (p: Participant, metadata: SdpStreamMetadata) => void;
  offerApplied: (p: Participant) => void;
}

export async function handleCallEvent(
  x: CallEventContext,
  p: Participant | undefined,
  sender: DeviceRef,
  event: Exclude<CallEvent, { kind: "invite" }>,
): Promise<void> {
  const c = event.content;
  if (!p) {
    if (event.kind === "candidates") x.keepEarlyCandidates(c.call_id, event.content.candidates);
    else x.log.debug({ kind: event.kind, callId: c.call_id }, "event for an unknown call ignored");
    return;
  }
  if (deviceKeyString(p.device) !== deviceKeyString(sender) || c.party_id !== p.partyId) {
    x.log.warn({ kind: event.kind, callId: c.call_id }, "event from another party ignored");
    return;
  }
  switch (event.kind) {
    case "candidates":
      return p.addRemoteCandidates(event.content.candidates);
    case "selectAnswer":
      if (event.content.selected_party_id !== x.focus.deviceId) {
        x.log.info({ callId: p.callId }, "another party was selected: dropping the call");
        await x.endCall(p, HangupReason.userHangup, false);
      }
      return;
    case "hangup":
      x.log.info({ callId: p.callId, reason: event.content.reason }, "caller hung up");
      return x.endCall(p, HangupReason.userHangup, false);
    case "negotiate": {
      const meta = event.content.sdp_stream_metadata;
      if (meta) x.ownMetadataChanged(p, meta);
      if (event.content.description.type === "offer") {
        await p.offerReceived(event.content.description.sdp);
        x.offerApplied(p);
      } else await p.answerReceived(event.content.description.sdp);
      return;
    }
    case "sdpStreamMetadataChanged":
      x.ownMetadataChanged(p, event.content.sdp_stream_metadata);
      return;
    case "answer":
      if (p.link?.dialer && p.state === ParticipantState.connecting) {
        try {
          await p.dialAnswered(event.content.answer.sdp);
        } catch (err) {
          x.log.warn({ err, callId: p.callId }, "link answer could not be applied");
          await x.endCall(p, HangupReason.badOffer, true);
        }
        return;
      }
      x.log.debug({ callId: p.callId }, "answer from a caller ignored");
      return;
  }
}
