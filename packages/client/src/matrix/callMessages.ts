// Building the to-device call messages this device sends to a focus, and deciding whether a
// received one belongs to a call. Pure: no I/O.
// MSC2746 call events as used by MSC3401/MSC3898; [ours] room_id and created_ts.

import {
  type CallEvent,
  type CallEventContents,
  type CallEventKind,
  encodeCallEvent,
  type NameVariant,
  Values,
} from "@matrix-focus/protocol";

/** Who talks to whom in one call (one peer connection to one focus). */
export interface CallIdentity {
  callId: string;
  confId: string;
  /** Per-device memberships: the room of the conference. */
  roomId?: string;
  /** Own device id (also the party id). */
  deviceId: string;
  /** Own session id. */
  sessionId: string;
  /** The focus's user and device. */
  focusUserId: string;
  focusDeviceId: string;
}

type Extra<K extends CallEventKind> = Omit<
  CallEventContents[K],
  | "call_id"
  | "conf_id"
  | "party_id"
  | "version"
  | "device_id"
  | "sender_session_id"
  | "dest_session_id"
  | "seq"
  | "room_id"
  | "created_ts"
>;

/** Writes the messages of one call: common fields, seq from 0 rising by 1, created_ts. */
export class CallMessageWriter {
  readonly identity: CallIdentity;
  #seq = 0;
  #now: () => number;
  #variant: NameVariant;
  /** The focus's session id, learnt from its answer ("" before). */
  destSessionId = "";

  constructor(identity: CallIdentity, now: () => number, variant: NameVariant = "unstable") {
    this.identity = identity;
    this.#now = now;
    this.#variant = variant;
  }

  build<K extends CallEventKind>(
    kind: K,
    extra: Extra<K>,
  ): { type: string; content: Record<string, unknown> } {
    const id = this.identity;
    const content = {
      call_id: id.callId,
      conf_id: id.confId,
      party_id: id.deviceId,
      version: Values.callVersion,
      device_id: id.deviceId,
      sender_session_id: id.sessionId,
      dest_session_id: this.destSessionId,
      seq: this.#seq++,
      ...(id.roomId !== undefined ? { room_id: id.roomId } : {}),
      created_ts: this.#now(),
      ...extra,
    };
    return encodeCallEvent({ kind, content } as CallEvent, this.#variant);
  }
}

/**
 * Why a received call event is not for this call, or undefined when it is. An answer must name
 * our call_id and our session as dest_session_id and come from the focus's user and device;
 * after the answer, messages must come from the party that answered.
 */
export function rejectReason(
  event: CallEvent,
  sender: string,
  id: CallIdentity,
  answeredBy: { partyId: string; sessionId: string } | undefined,
): string | undefined {
  const c = event.content;
  if (c.call_id !== id.callId) return `unknown call_id ${c.call_id}`;
  if (sender !== id.focusUserId) return `sender ${sender} is not the focus ${id.focusUserId}`;
  if (c.device_id !== id.focusDeviceId) {
    return `device_id ${c.device_id} is not the focus device ${id.focusDeviceId}`;
  }
  if (c.dest_session_id !== id.sessionId) {
    return `dest_session_id ${c.dest_session_id} is not our session ${id.sessionId}`;
  }
  if (answeredBy !== undefined && event.kind !== "answer") {
    if (c.party_id !== answeredBy.partyId) return `party_id ${c.party_id} did not answer`;
  }
  return undefined;
}

/** A random id for calls and sessions. */
export function randomId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
