// Handles one message a participant sent on the data channel. Malformed or unknown messages
// get an org.matrix.msc3898.error reply; a request with a txn_id gets an ack when it succeeded.
// Nothing here throws into the conference.
import {
  ackMessage,
  type ConnectToFocusContent,
  DataChannelErrorCode,
  type DataChannelMessage,
  errorMessage,
  errorReplyFor,
  parseDataChannelMessage,
  type SdpStreamMetadata,
  type TrackSubscriptionContent,
} from "@matrix-focus/protocol";
import type { ConferenceLimits } from "./defaults.ts";
import type { Participant } from "./Participant.ts";

/** The part of a Participant the handler uses. */
export type DataChannelParticipant = Pick<
  Participant,
  | "callId"
  | "sendData"
  | "subscribe"
  | "unsubscribe"
  | "offerReceived"
  | "answerReceived"
  | "pongReceived"
>;

import { type Publication, publicationKey } from "./Publication.ts";

/** What the handler needs from the conference. */
export interface DataChannelContext {
  limits: ConferenceLimits;
  publication(streamId: string, trackId: string): Publication | undefined;
  /** The participant's own streams changed (metadata); relay to the others. */
  ownMetadataChanged(p: DataChannelParticipant, metadata: SdpStreamMetadata): void;
  /** The participant's offer was answered: tracks it stopped sending end. */
  offerApplied(p: DataChannelParticipant): void;
  /**
   * A sibling part's per-layer track (layerTracks.ts): the publication and the size of the
   * layer it names; undefined for any other track or participant.
   */
  layerView?(
    p: DataChannelParticipant,
    streamId: string,
    trackId: string,
  ): { pub: Publication; want: { width?: number; height?: number } } | undefined;
  /** Cascading: false when `pub` must not be sent to `p` (a link gets only local tracks). */
  mayForward?(p: DataChannelParticipant, pub: Publication): boolean;
  /** Cascading: m.call.connect_to_focus; undefined = done, else the refusal. */
  connectToFocus?(content: ConnectToFocusContent): SubscriptionError | undefined;
}

export async function handleDataChannelMessage(
  ctx: DataChannelContext,
  p: DataChannelParticipant,
  raw: string,
): Promise<void> {
  const parsed = parseDataChannelMessage(raw);
  if (!parsed.ok) {
    p.sendData(errorReplyFor(parsed.error));
    return;
  }
  const msg = parsed.value;
  const txn = msg.txnId;
  const ack = () => {
    if (txn !== undefined) p.sendData(ackMessage(txn));
  };
  const fail = (
    errcode: (typeof DataChannelErrorCode)[keyof typeof DataChannelErrorCode],
    error: string,
  ) =>
    p.sendData(
      errorMessage({
        ...(txn !== undefined ? { txnId: txn } : {}),
        inReplyTo: typeName(raw),
        errcode,
        error,
      }),
    );
  switch (msg.kind) {
    case "trackSubscription": {
      const err = applySubscription(ctx, p, msg.content);
      if (err) fail(err.errcode, err.error);
      else ack();
      return;
    }
    case "negotiate": {
      const { description } = msg.content;
      if (msg.content.sdp_stream_metadata)
        ctx.ownMetadataChanged(p, msg.content.sdp_stream_metadata);
      if (description.type === "offer") {
        await p.offerReceived(description.sdp);
        ctx.offerApplied(p);
      } else if (!(await p.answerReceived(description.sdp))) {
        fail(DataChannelErrorCode.unknown, "no offer of the focus is waiting for this answer");
        return;
      }
      ack();
      return;
    }
    case "sdpStreamMetadataChanged":
      ctx.ownMetadataChanged(p, msg.content.sdp_stream_metadata);
      ack();
      return;
    case "pong":
      p.pongReceived();
      return;
    case "ping":
      p.sendData({ kind: "pong", content: {} });
      return;
    case "connectToFocus": {
      if (!ctx.connectToFocus) break;
      const err = ctx.connectToFocus(msg.content);
      if (err) fail(err.errcode, err.error);
      else ack();
      return;
    }
    case "ack":
    case "error":
      return;
  }
  fail(
    DataChannelErrorCode.unrecognized,
    `this focus does not handle ${typeName(raw)} from a participant`,
  );
}

function typeName(raw: string): string | null {
  try {
    const t = (JSON.parse(raw) as { type?: unknown }).type;
    return typeof t === "string" ? t : null;
  } catch {
    return null;
  }
}

type SubscriptionError = {
  errcode: (typeof DataChannelErrorCode)[keyof typeof DataChannelErrorCode];
  error: string;
};

/** Applies a track_subscription: unknown items are listed in one error, the rest applied. */
export function applySubscription(
  ctx: DataChannelContext,
  p: DataChannelParticipant,
  content: TrackSubscriptionContent,
): SubscriptionError | undefined {
  const subscribe = content.subscribe ?? [];
  const unsubscribe = content.unsubscribe ?? [];
  const total = subscribe.length + unsubscribe.length;
  if (total > ctx.limits.maxSubscriptionItems) {
    return {
      errcode: DataChannelErrorCode.limitExceeded,
      error: `${total} items; at most ${ctx.limits.maxSubscriptionItems} per message`,
    };
  }
  const unknown: string[] = [];
  for (const item of unsubscribe) {
    if (
      !p.unsubscribe(publicationKey(item.stream_id, item.track_id)) &&
      !ctx.publication(item.stream_id, item.track_id)
    ) {
      unknown.push(`${item.stream_id}/${item.track_id}`);
    }
  }
  for (const item of subscribe) {
    const layer = ctx.layerView?.(p, item.stream_id, item.track_id);
    const pub = layer?.pub ?? ctx.publication(item.stream_id, item.track_id);
    if (!pub || pub.ownerCallId === p.callId || ctx.mayForward?.(p, pub) === false) {
      unknown.push(`${item.stream_id}/${item.track_id}`);
      continue;
    }
    const want: { width?: number; height?: number } = { ...layer?.want };
    if (item.width !== undefined) want.width = item.width;
    if (item.height !== undefined) want.height = item.height;
    p.subscribe(pub, want, layer ? item.track_id : undefined);
  }
  if (unknown.length > 0) {
    return {
      errcode: DataChannelErrorCode.notFound,
      error: `unknown stream/track: ${unknown.join(", ")}`,
    };
  }
  return undefined;
}

export type { DataChannelMessage };
