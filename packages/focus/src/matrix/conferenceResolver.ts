// Which conference a to-device call message belongs to (protocol.md "Which conference a call
// belongs to"): with `room_id` (per-device memberships) the key is (room_id, conf_id); without
// it (the deployed legacy client) the room is the one whose `m.call` state key is conf_id.
// Pure apart from reading the tracker.
import type { ConferenceKey } from "../conference/inputs.ts";

export interface ResolverRooms {
  hasRoom(roomId: string): boolean;
  roomsWithCall(confId: string): string[];
  roomsWithMembership(userId: string, confId: string): string[];
}

export type Resolution = { ok: true; conference: ConferenceKey } | { ok: false; detail: string };

export function resolveConference(
  message: { conf_id: string; room_id?: string | undefined },
  senderUserId: string,
  rooms: ResolverRooms,
): Resolution {
  const confId = message.conf_id;
  if (message.room_id !== undefined) {
    return rooms.hasRoom(message.room_id)
      ? { ok: true, conference: { roomId: message.room_id, confId } }
      : { ok: false, detail: "the focus is not in the room named by room_id" };
  }
  const withCall = rooms.roomsWithCall(confId);
  const withMembership = rooms.roomsWithMembership(senderUserId, confId);
  // Prefer a room that has both the call and the sender's membership; the deployed client
  // always creates the call event, but accept a room that only holds the membership.
  const roomId =
    withCall.find((id) => withMembership.includes(id)) ?? withCall[0] ?? withMembership[0];
  return roomId === undefined
    ? { ok: false, detail: "no room of the focus has a call with this conf_id" }
    : { ok: true, conference: { roomId, confId } };
}
