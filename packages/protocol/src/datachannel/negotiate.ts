// m.call.negotiate and m.call.sdp_stream_metadata_changed on the data channel (both ways).
import { z } from "zod";
import { SessionDescriptionSchema } from "../matrix/callEvents.ts";
import { SdpStreamMetadataSchema } from "../matrix/sdpStreamMetadata.ts";
import { ContentKeys } from "../names.ts";

const metadataKey = ContentKeys.sdpStreamMetadata.stable;

/** Renegotiation: an offer or answer, and the metadata of the streams that SDP carries. */
export const DataChannelNegotiateContentSchema = z.object({
  description: SessionDescriptionSchema,
  [metadataKey]: SdpStreamMetadataSchema.optional(),
});
export type DataChannelNegotiateContent = z.output<typeof DataChannelNegotiateContentSchema>;

/** Mute/unmute and publish changes; from a focus: the full set of subscribable streams. */
export const DataChannelMetadataChangedContentSchema = z.object({
  [metadataKey]: SdpStreamMetadataSchema,
});
export type DataChannelMetadataChangedContent = z.output<
  typeof DataChannelMetadataChangedContentSchema
>;
