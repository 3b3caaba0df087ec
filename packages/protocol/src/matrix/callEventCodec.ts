// Reading and writing to-device call events: type name <-> kind, metadata key spellings.

import {
  type CallEventKind,
  CallEventNames,
  ContentKeys,
  DataChannelErrorCode,
  lookUpName,
  type NameVariant,
  spell,
} from "../names.ts";
import { fail, ok, type ParseResult, type ProtocolError, parseWith } from "../ProtocolError.ts";
import { isRecord, kindOfValue } from "../util.ts";
import { CallEventContentSchemas, type CallEventContents } from "./callEvents.ts";
import { liftSdpStreamMetadata, pointIssuesAtMetadataKey } from "./sdpStreamMetadata.ts";

/** A parsed to-device call event: `kind` is a key of `CallEventNames`. */
export type CallEvent = {
  [K in CallEventKind]: { kind: K; content: CallEventContents[K] };
}[CallEventKind];

const PREFIX = "content";

/** Parses a to-device call event by its type; every problem is listed with its path. */
export function parseCallEvent(type: string, content: unknown): ParseResult<CallEvent> {
  const kind = lookUpName(CallEventNames, type);
  if (kind === undefined) {
    return fail([{ path: "type", message: `unknown call event type ${JSON.stringify(type)}` }], {
      errcode: DataChannelErrorCode.unrecognized,
      inReplyTo: type,
    });
  }
  if (!isRecord(content)) {
    return fail([{ path: PREFIX, message: `expected object, received ${kindOfValue(content)}` }], {
      errcode: DataChannelErrorCode.badJson,
      inReplyTo: type,
    });
  }
  const { content: lifted, foundUnder } = liftSdpStreamMetadata(content);
  const result = parseWith(CallEventContentSchemas[kind], lifted, PREFIX, {
    errcode: DataChannelErrorCode.badJson,
    inReplyTo: type,
  });
  if (!result.ok) return withMetadataPaths(result.error, foundUnder);
  return ok({ kind, content: result.value } as CallEvent);
}

function withMetadataPaths(error: ProtocolError, foundUnder: string | undefined) {
  return fail<CallEvent>(pointIssuesAtMetadataKey(error.issues, PREFIX, foundUnder), {
    ...(error.errcode !== undefined ? { errcode: error.errcode } : {}),
    ...(error.inReplyTo !== undefined ? { inReplyTo: error.inReplyTo } : {}),
  });
}

/**
 * Writes a call event as `{type, content}` for `sendToDevice`.
 * Metadata goes under `org.matrix.msc3077.sdp_stream_metadata`, the only key the deployed
 * client reads in to-device events; with `variant: "stable"` it is written under
 * `sdp_stream_metadata` as well (parsers accept both).
 */
export function encodeCallEvent(
  event: CallEvent,
  variant: NameVariant = "unstable",
): { type: string; content: Record<string, unknown> } {
  const stableKey = ContentKeys.sdpStreamMetadata.stable;
  const unstableKey = ContentKeys.sdpStreamMetadata.unstable;
  const content: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event.content)) {
    if (value !== undefined && key !== stableKey) content[key] = value;
  }
  const metadata = (event.content as Record<string, unknown>)[stableKey];
  if (metadata !== undefined) {
    content[unstableKey] = metadata;
    if (variant === "stable") content[stableKey] = metadata;
  }
  return { type: spell(CallEventNames[event.kind], variant), content };
}
