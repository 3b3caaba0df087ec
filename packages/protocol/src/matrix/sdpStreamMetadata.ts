// MSC3077 `sdp_stream_metadata`: what each stream (msid) in an SDP is, keyed by stream id.
import { z } from "zod";
import { ContentKeys, Values } from "../names.ts";
import {
  fail,
  formatPath,
  ok,
  type ParseResult,
  type ProtocolIssue,
  parseWith,
} from "../ProtocolError.ts";
import { isRecord, kindOfValue } from "../util.ts";
import { FocusIdSchema } from "./focus.ts";

export const TrackMetadataSchema = z.looseObject({
  kind: z.enum(["audio", "video"]),
  width: z.number().nonnegative().optional(),
  height: z.number().nonnegative().optional(),
});
export type TrackMetadata = z.output<typeof TrackMetadataSchema>;

export const StreamPurposeSchema = z.enum([Values.purposeUsermedia, Values.purposeScreenshare]);
export type StreamPurpose = z.output<typeof StreamPurposeSchema>;

export const StreamMetadataSchema = z.looseObject({
  /** Owner of the stream (the focus fills these for streams it forwards). */
  user_id: z.string().optional(),
  device_id: z.string().optional(),
  purpose: StreamPurposeSchema,
  audio_muted: z.boolean().optional(),
  video_muted: z.boolean().optional(),
  tracks: z.record(z.string(), TrackMetadataSchema).optional(),
  /** [ours] the focus the stream entered the cascade at (its origin), for cascading. */
  focus: FocusIdSchema.optional(),
});
export type StreamMetadata = z.output<typeof StreamMetadataSchema>;

/** Keys are stream ids (msid stream); unknown fields of an entry are passed through. */
export const SdpStreamMetadataSchema = z.record(z.string(), StreamMetadataSchema);
export type SdpStreamMetadata = z.output<typeof SdpStreamMetadataSchema>;

const stableKey = ContentKeys.sdpStreamMetadata.stable;
const unstableKey = ContentKeys.sdpStreamMetadata.unstable;

export function parseSdpStreamMetadata(
  input: unknown,
  prefix = stableKey,
): ParseResult<SdpStreamMetadata> {
  return parseWith(SdpStreamMetadataSchema, input, prefix);
}

/**
 * Finds the metadata in a content object under either spelling (stable first) and returns a
 * copy of the content with it moved to the stable key, and the key it was found under.
 */
export function liftSdpStreamMetadata(content: Record<string, unknown>): {
  content: Record<string, unknown>;
  foundUnder: string | undefined;
} {
  const foundUnder =
    content[stableKey] !== undefined
      ? stableKey
      : content[unstableKey] !== undefined
        ? unstableKey
        : undefined;
  const { [stableKey]: _stable, [unstableKey]: _unstable, ...rest } = content;
  if (foundUnder === undefined) return { content: rest, foundUnder };
  return { content: { ...rest, [stableKey]: content[foundUnder] }, foundUnder };
}

/** Rewrites issue paths that point into the lifted metadata back to the key it came from. */
export function pointIssuesAtMetadataKey(
  issues: ProtocolIssue[],
  prefix: string,
  foundUnder: string | undefined,
): ProtocolIssue[] {
  if (foundUnder === undefined || foundUnder === stableKey) return issues;
  const from = formatPath(prefix, [stableKey]);
  const to = formatPath(prefix, [foundUnder]);
  return issues.map((i) =>
    i.path === from || i.path.startsWith(`${from}.`) || i.path.startsWith(`${from}[`)
      ? { ...i, path: to + i.path.slice(from.length) }
      : i,
  );
}

/**
 * Reads `sdp_stream_metadata` from a content object under either spelling
 * (`sdp_stream_metadata` or `org.matrix.msc3077.sdp_stream_metadata`); `undefined` when absent.
 */
export function readSdpStreamMetadata(
  content: unknown,
  prefix = "content",
): ParseResult<SdpStreamMetadata | undefined> {
  if (!isRecord(content)) {
    return fail([{ path: prefix, message: `expected object, received ${kindOfValue(content)}` }]);
  }
  const { content: lifted, foundUnder } = liftSdpStreamMetadata(content);
  if (foundUnder === undefined) return ok(undefined);
  return parseWith(SdpStreamMetadataSchema, lifted[stableKey], formatPath(prefix, [foundUnder]));
}
