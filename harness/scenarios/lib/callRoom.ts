// A room for a call: members may write call state, the invited foci have joined.
import {
  buildPerDeviceMemberContent,
  type FocusRef,
  perDeviceMemberStateKey,
  StateEventNames,
} from "@matrix-focus/protocol";
import { type MatrixClient, Preset } from "matrix-js-sdk";

export interface CallRoomOptions {
  /** Users invited besides `joiners` (the foci), all awaited as joined. */
  foci: string[];
  /** Members who join after the owner creates the room. */
  joiners?: MatrixClient[];
  /** State event types anyone may send, besides the unstable call member. */
  openEvents?: string[];
  timeoutMs?: number;
}

/** Creates the room as `owner`; resolves with its id once every focus has joined. */
export async function createCallRoom(owner: MatrixClient, o: CallRoomOptions): Promise<string> {
  const joiners = o.joiners ?? [];
  const open = [StateEventNames.callMember.unstable, ...(o.openEvents ?? [])];
  const { room_id: roomId } = await owner.createRoom({
    preset: Preset.PrivateChat,
    invite: [...o.foci, ...joiners.map((c) => c.getUserId() as string)],
    power_level_content_override: { events: Object.fromEntries(open.map((t) => [t, 0])) },
  });
  for (const c of joiners) await c.joinRoom(roomId);
  await until(
    async () => {
      const joined = Object.keys((await owner.getJoinedRoomMembers(roomId)).joined);
      return o.foci.every((u) => joined.includes(u));
    },
    "the foci joined the room",
    o.timeoutMs ?? 20_000,
  );
  return roomId;
}

/** Writes the member's per-device membership naming `focus` as its foci_preferred[0]. */
export async function writeMembership(
  client: MatrixClient,
  roomId: string,
  focus: FocusRef,
): Promise<void> {
  const deviceId = client.getDeviceId() as string;
  await client.sendStateEvent(
    roomId,
    StateEventNames.callMember.unstable as never,
    buildPerDeviceMemberContent({ deviceId, fociPreferred: [focus] }) as never,
    perDeviceMemberStateKey(client.getUserId() as string, deviceId),
  );
}

/** A room with `focus` and these members (the first creates it), each naming the focus. */
export async function focusCallRoom(focus: FocusRef, members: MatrixClient[]): Promise<string> {
  const [owner, ...others] = members as [MatrixClient, ...MatrixClient[]];
  const roomId = await createCallRoom(owner, {
    foci: [focus.userId],
    joiners: others,
    timeoutMs: 10_000,
  });
  for (const c of members) await writeMembership(c, roomId, focus);
  return roomId;
}

/** Polls an async condition every 100 ms (usable in beforeAll, unlike expect.poll). */
export async function until(
  cond: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
