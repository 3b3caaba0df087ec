import type { RoomEvent } from "../storage/rooms.ts";

export type Viewer = { userId: string; deviceId: string };

/** The client format of an event, with `unsigned.age` and, for its sender, the transaction id. */
export function clientEvent(
  event: RoomEvent,
  now: number,
  viewer?: Viewer,
): Record<string, unknown> {
  const unsigned: Record<string, unknown> = { age: Math.max(0, now - event.origin_server_ts) };
  if (event.prev_content) unsigned.prev_content = event.prev_content;
  if (
    viewer &&
    event.txn_id !== undefined &&
    event.sender === viewer.userId &&
    event.txn_device === viewer.deviceId
  ) {
    unsigned.transaction_id = event.txn_id;
  }
  const out: Record<string, unknown> = {
    event_id: event.event_id,
    room_id: event.room_id,
    type: event.type,
    sender: event.sender,
    content: event.content,
    origin_server_ts: event.origin_server_ts,
    unsigned,
  };
  if (event.state_key !== undefined) out.state_key = event.state_key;
  return out;
}

/** Stripped state for invites: type, state_key, sender and content only. */
export function strippedEvent(event: RoomEvent): Record<string, unknown> {
  return {
    type: event.type,
    state_key: event.state_key ?? "",
    sender: event.sender,
    content: event.content,
  };
}
