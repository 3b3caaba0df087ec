// The m.call.hangup the focus sends on its own (refusals, shutdown), addressed so that the
// deployed client accepts it: our device as party_id/device_id, the caller's session as
// dest_session_id.
import type { CallEvent, HangupReasonCode } from "@matrix-focus/protocol";
import { Values } from "@matrix-focus/protocol";
import type { DeviceRef } from "../conference/inputs.ts";

export interface HangupFields {
  callId: string;
  confId: string;
  /** Echoed when the caller's messages carried it (per-device memberships). */
  roomId: string | undefined;
  focus: DeviceRef;
  sessionId: string;
  destSessionId: string;
  reason: HangupReasonCode;
  now: number;
}

export function buildHangup(f: HangupFields): CallEvent {
  return {
    kind: "hangup",
    content: {
      call_id: f.callId,
      conf_id: f.confId,
      party_id: f.focus.deviceId,
      version: Values.callVersion,
      device_id: f.focus.deviceId,
      sender_session_id: f.sessionId,
      dest_session_id: f.destSessionId,
      reason: f.reason,
      ...(f.roomId !== undefined ? { room_id: f.roomId } : {}),
      created_ts: f.now,
    },
  };
}
