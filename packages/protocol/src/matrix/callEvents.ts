// Schemas of the to-device `m.call.*` events between a device and a focus (MSC2746 call
// signalling with the MSC3401 group-call fields). Content types use the stable metadata key;
// the codec (callEventCodec.ts) maps both spellings onto it.
import { z } from "zod";
import { ContentKeys, Values } from "../names.ts";
import { SdpStreamMetadataSchema } from "./sdpStreamMetadata.ts";

const metadataKey = ContentKeys.sdpStreamMetadata.stable;

/** Fields every call event carries. */
export const CallEventCommonSchema = z.object({
  /** One peer connection (a 1:1 leg between a device and a focus). */
  call_id: z.string(),
  /** The conference; may be "" (per-device memberships: "the room's call"). */
  conf_id: z.string(),
  /** The sender's party (the deployed client uses its device id). */
  party_id: z.string(),
  /** "1"; the number 1 is accepted too. */
  version: z.literal([Values.callVersion, 1]),
  device_id: z.string(),
  sender_session_id: z.string(),
  dest_session_id: z.string(),
  /** Per call_id, starting at 0 and rising by 1. */
  seq: z.int().nonnegative().optional(),
  /** [ours] the room of the conference (per-device membership shape). */
  room_id: z.string().optional(),
  /** [ours] when the sender created the message (ms since the epoch), to drop stale ones. */
  created_ts: z.number().nonnegative().optional(),
  [ContentKeys.msgId.stable]: z.string().optional(),
});
export type CallEventCommon = z.output<typeof CallEventCommonSchema>;

export const SessionDescriptionSchema = z.object({
  type: z.enum(["offer", "answer"]),
  sdp: z.string(),
});
export type SessionDescription = z.output<typeof SessionDescriptionSchema>;

export const OfferSchema = z.object({ type: z.literal("offer"), sdp: z.string() });
export const AnswerSdpSchema = z.object({ type: z.literal("answer"), sdp: z.string() });

const CapabilitiesSchema = z.record(z.string(), z.unknown());
const optionalMetadata = SdpStreamMetadataSchema.optional();

export const InviteContentSchema = CallEventCommonSchema.extend({
  offer: OfferSchema,
  /** How long the invite is valid, in ms. */
  lifetime: z.number().nonnegative(),
  invitee: z.string().optional(),
  capabilities: CapabilitiesSchema.optional(),
  [metadataKey]: optionalMetadata,
});
export type InviteContent = z.output<typeof InviteContentSchema>;

export const AnswerContentSchema = CallEventCommonSchema.extend({
  answer: AnswerSdpSchema,
  capabilities: CapabilitiesSchema.optional(),
  [metadataKey]: optionalMetadata,
});
export type AnswerContent = z.output<typeof AnswerContentSchema>;

export const IceCandidateSchema = z.object({
  /** "" marks the end of the candidates. */
  candidate: z.string(),
  sdpMid: z.string().nullable().optional(),
  sdpMLineIndex: z.int().nonnegative().nullable().optional(),
  usernameFragment: z.string().nullable().optional(),
});
export type IceCandidate = z.output<typeof IceCandidateSchema>;

export const CandidatesContentSchema = CallEventCommonSchema.extend({
  candidates: z.array(IceCandidateSchema),
});
export type CandidatesContent = z.output<typeof CandidatesContentSchema>;

export const SelectAnswerContentSchema = CallEventCommonSchema.extend({
  selected_party_id: z.string(),
});
export type SelectAnswerContent = z.output<typeof SelectAnswerContentSchema>;

export const HangupContentSchema = CallEventCommonSchema.extend({
  /** Any string is accepted; the codes we send are in `HangupReason`. */
  reason: z.string().optional(),
});
export type HangupContent = z.output<typeof HangupContentSchema>;

export const NegotiateContentSchema = CallEventCommonSchema.extend({
  description: SessionDescriptionSchema,
  lifetime: z.number().nonnegative().optional(),
  [metadataKey]: optionalMetadata,
});
export type NegotiateContent = z.output<typeof NegotiateContentSchema>;

export const MetadataChangedContentSchema = CallEventCommonSchema.extend({
  [metadataKey]: SdpStreamMetadataSchema,
});
export type MetadataChangedContent = z.output<typeof MetadataChangedContentSchema>;

/** The content schema of each call event kind (keys of `CallEventNames`). */
export const CallEventContentSchemas = {
  invite: InviteContentSchema,
  answer: AnswerContentSchema,
  candidates: CandidatesContentSchema,
  selectAnswer: SelectAnswerContentSchema,
  hangup: HangupContentSchema,
  negotiate: NegotiateContentSchema,
  sdpStreamMetadataChanged: MetadataChangedContentSchema,
} as const;

export interface CallEventContents {
  invite: InviteContent;
  answer: AnswerContent;
  candidates: CandidatesContent;
  selectAnswer: SelectAnswerContent;
  hangup: HangupContent;
  negotiate: NegotiateContent;
  sdpStreamMetadataChanged: MetadataChangedContent;
}
