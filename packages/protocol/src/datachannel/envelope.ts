// The data-channel framing `{type, content, txn_id?}` and the typed union of its messages.
import { z } from "zod";
import { ProtocolDefaults } from "../defaults.ts";
import { liftSdpStreamMetadata, pointIssuesAtMetadataKey } from "../matrix/sdpStreamMetadata.ts";
import {
  DataChannelErrorCode,
  type DataChannelErrorCodeValue,
  type DataChannelKind,
  DataChannelNames,
  lookUpName,
  type NameVariant,
  spell,
} from "../names.ts";
import { fail, ok, type ParseResult, type ProtocolError, parseWith } from "../ProtocolError.ts";
import { isRecord } from "../util.ts";
import { type ConnectToFocusContent, ConnectToFocusContentSchema } from "./cascade.ts";
import {
  type PingContent,
  PingContentSchema,
  type PongContent,
  PongContentSchema,
} from "./keepAlive.ts";
import {
  type DataChannelMetadataChangedContent,
  DataChannelMetadataChangedContentSchema,
  type DataChannelNegotiateContent,
  DataChannelNegotiateContentSchema,
} from "./negotiate.ts";
import {
  type AckContent,
  AckContentSchema,
  type ErrorContent,
  ErrorContentSchema,
} from "./replies.ts";
import {
  type TrackSubscriptionContent,
  TrackSubscriptionContentSchema,
} from "./trackSubscription.ts";

export const DataChannelEnvelopeSchema = z.object({
  type: z.string(),
  content: z.record(z.string(), z.unknown()),
  txn_id: z.string().optional(),
});
export type DataChannelEnvelope = z.output<typeof DataChannelEnvelopeSchema>;

/** The content schema of each data-channel message kind (keys of `DataChannelNames`). */
export const DataChannelContentSchemas = {
  trackSubscription: TrackSubscriptionContentSchema,
  negotiate: DataChannelNegotiateContentSchema,
  sdpStreamMetadataChanged: DataChannelMetadataChangedContentSchema,
  ping: PingContentSchema,
  pong: PongContentSchema,
  connectToFocus: ConnectToFocusContentSchema,
  ack: AckContentSchema,
  error: ErrorContentSchema,
} as const;

export interface DataChannelContents {
  trackSubscription: TrackSubscriptionContent;
  negotiate: DataChannelNegotiateContent;
  sdpStreamMetadataChanged: DataChannelMetadataChangedContent;
  ping: PingContent;
  pong: PongContent;
  connectToFocus: ConnectToFocusContent;
  ack: AckContent;
  error: ErrorContent;
}

/** A parsed data-channel message: `kind` is a key of `DataChannelNames`. */
export type DataChannelMessage = {
  [K in DataChannelKind]: { kind: K; content: DataChannelContents[K]; txnId?: string };
}[DataChannelKind];

export interface ParseDataChannelOptions {
  /** Longer messages are refused with M_TOO_LARGE (default 64 KiB). */
  maxBytes?: number;
}

const encoder = new TextEncoder();

/**
 * Parses one data-channel message. A failure carries what the error reply needs: `errcode`
 * (M_NOT_JSON, M_BAD_JSON, M_UNRECOGNIZED, M_TOO_LARGE), `inReplyTo` (the type, when it could
 * be read, else null) and `txnId` (when it could be read).
 */
export function parseDataChannelMessage(
  raw: string,
  options: ParseDataChannelOptions = {},
): ParseResult<DataChannelMessage> {
  const maxBytes = options.maxBytes ?? ProtocolDefaults.dataChannelMaxMessageBytes;
  if (raw.length > maxBytes || encoder.encode(raw).length > maxBytes) {
    return fail([{ path: "", message: `message larger than ${maxBytes} bytes` }], {
      errcode: DataChannelErrorCode.tooLarge,
      inReplyTo: null,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    return fail([{ path: "", message: `not JSON: ${(e as Error).message}` }], {
      errcode: DataChannelErrorCode.notJson,
      inReplyTo: null,
    });
  }
  const inReplyTo = isRecord(json) && typeof json.type === "string" ? json.type : null;
  const txnId = isRecord(json) && typeof json.txn_id === "string" ? json.txn_id : undefined;
  const context = (errcode: DataChannelErrorCodeValue) => ({
    errcode,
    inReplyTo,
    ...(txnId !== undefined ? { txnId } : {}),
  });
  const envelope = parseWith(
    DataChannelEnvelopeSchema,
    json,
    "",
    context(DataChannelErrorCode.badJson),
  );
  if (!envelope.ok) return envelope;
  const { type, content, txn_id } = envelope.value;
  const kind = lookUpName(DataChannelNames, type);
  if (kind === undefined) {
    return fail(
      [{ path: "type", message: `unknown message type ${JSON.stringify(type)}` }],
      context(DataChannelErrorCode.unrecognized),
    );
  }
  const { content: lifted, foundUnder } = liftSdpStreamMetadata(content);
  const parsed = parseWith(
    DataChannelContentSchemas[kind],
    lifted,
    "content",
    context(DataChannelErrorCode.badJson),
  );
  if (!parsed.ok) {
    return fail(
      pointIssuesAtMetadataKey(parsed.error.issues, "content", foundUnder),
      context(DataChannelErrorCode.badJson),
    );
  }
  const message = { kind, content: parsed.value } as DataChannelMessage;
  if (txn_id !== undefined) message.txnId = txn_id;
  return ok(message);
}

function withoutUndefined(content: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(content).filter(([, v]) => v !== undefined));
}

/**
 * Writes a data-channel message as JSON `{type, content, txn_id?}`. On the data channel the
 * metadata key is the stable `sdp_stream_metadata`.
 */
export function encodeDataChannelMessage(
  msg: DataChannelMessage,
  variant: NameVariant = "stable",
): string {
  const envelope: Record<string, unknown> = {
    type: spell(DataChannelNames[msg.kind], variant),
    content: withoutUndefined(msg.content),
  };
  if (msg.txnId !== undefined) envelope.txn_id = msg.txnId;
  return JSON.stringify(envelope);
}

/**
 * `encodeDataChannelMessage` of an sdpStreamMetadataChanged message whose metadata is already
 * JSON (`JSON.stringify` of the metadata), so that a focus announcing one set to many devices
 * serializes each set once.
 */
export function encodeMetadataChangedJson(
  metadataJson: string,
  variant: NameVariant = "stable",
): string {
  const type = JSON.stringify(spell(DataChannelNames.sdpStreamMetadataChanged, variant));
  return `{"type":${type},"content":{"sdp_stream_metadata":${metadataJson}}}`;
}

/** The success reply to a request that carried `txnId`. */
export function ackMessage(txnId: string): DataChannelMessage & { kind: "ack" } {
  return { kind: "ack", content: { txn_id: txnId } };
}

/** An error reply. */
export function errorMessage(reply: {
  txnId?: string;
  inReplyTo: string | null;
  errcode: DataChannelErrorCodeValue;
  error: string;
}): DataChannelMessage & { kind: "error" } {
  const content: ErrorContent = {
    in_reply_to: reply.inReplyTo,
    errcode: reply.errcode,
    error: reply.error,
  };
  if (reply.txnId !== undefined) content.txn_id = reply.txnId;
  return { kind: "error", content };
}

/** The error reply for a message that failed to parse (or failed otherwise). */
export function errorReplyFor(error: ProtocolError): DataChannelMessage & { kind: "error" } {
  return errorMessage({
    ...(error.txnId !== undefined ? { txnId: error.txnId } : {}),
    inReplyTo: error.inReplyTo ?? null,
    errcode: error.errcode ?? DataChannelErrorCode.badJson,
    error: error.message,
  });
}
