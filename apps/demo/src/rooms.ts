// Creating and joining the rooms calls happen in.
import { StateEventNames, spellings } from "@matrix-focus/protocol";
import { type MatrixClient, Preset, Visibility } from "matrix-js-sdk";

/** Power levels that let every member publish call membership (both spellings of each name). */
function callPowerLevelEvents(): Record<string, number> {
  const events: Record<string, number> = {};
  for (const n of [StateEventNames.callMember, StateEventNames.call]) {
    for (const type of spellings(n)) events[type] = 0;
  }
  return events;
}

/**
 * Creates a public room anyone may join and call in. Returns what to put in the room link:
 * the alias when one was asked for, else the room id.
 */
export async function createCallRoom(
  client: MatrixClient,
  name: string,
  aliasLocalpart?: string,
): Promise<string> {
  const res = await client.createRoom({
    name,
    preset: Preset.PublicChat,
    visibility: Visibility.Public,
    room_alias_name: aliasLocalpart || undefined,
    power_level_content_override: { events: callPowerLevelEvents() },
  });
  if (aliasLocalpart) {
    const domain = client.getDomain();
    return domain ? `#${aliasLocalpart}:${domain}` : res.room_id;
  }
  return res.room_id;
}

/** Joins a room by id or alias (no-op when already joined) and returns its id. */
export async function joinRoom(client: MatrixClient, roomIdOrAlias: string): Promise<string> {
  const room = await client.joinRoom(roomIdOrAlias);
  return room.roomId;
}

/** The room's display name, falling back to the id or alias the user gave. */
export function roomName(client: MatrixClient, roomId: string, fallback: string): string {
  return client.getRoom(roomId)?.name || fallback;
}
