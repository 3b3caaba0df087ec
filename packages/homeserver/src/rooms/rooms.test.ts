import { StateEventNames, Values } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { Membership, MessageType, RoomEventType } from "../names.ts";
import { useHomeserverPair } from "../testing/pair.ts";
import { api, registerClient, startSyncing, waitFor, waitForRoom } from "../testing/sdk.ts";

const callMember = StateEventNames.callMember.unstable;

describe("rooms on the embedded homeserver", () => {
  const pair = useHomeserverPair();

  it("lets a second user join and shows its call member state in the first user's sync", async () => {
    await startSyncing(pair.alice);
    const { room_id: roomId } = await pair.alice.createRoom({
      preset: "public_chat" as never,
      name: "Call room",
      room_alias_name: "call",
      power_level_content_override: { events: { [callMember]: 0 } },
    });
    expect((await pair.bob.getRoomIdForAlias("#call:localhost")).room_id).toBe(roomId);
    await expect(pair.alice.createRoom({ room_alias_name: "call" })).rejects.toMatchObject({
      errcode: "M_ROOM_IN_USE",
    });
    await expect(pair.alice.createRoom({ room_alias_name: "bad:alias" })).rejects.toMatchObject({
      errcode: "M_BAD_JSON",
    });
    await pair.bob.joinRoom("#call:localhost");
    const stateKey = `_@bob:localhost_${pair.bob.getDeviceId()}${Values.memberStateKeySuffix}`;
    await pair.bob.sendStateEvent(
      roomId,
      callMember as never,
      { application: Values.applicationCall, call_id: "" } as never,
      stateKey,
    );

    const room = await waitForRoom(pair.alice, roomId);
    const seen = await waitFor(
      "bob's call member state at alice",
      () => room.currentState.getStateEvents(callMember, stateKey) ?? undefined,
    );
    expect(seen.getSender()).toBe("@bob:localhost");
    expect(seen.getContent()).toEqual({ application: Values.applicationCall, call_id: "" });
    expect(room.getMember("@bob:localhost")?.membership).toBe(Membership.join);
    expect(room.name).toBe("Call room");
    const joined = await pair.alice.getJoinedRoomMembers(roomId);
    expect(Object.keys(joined.joined).sort()).toEqual(["@alice:localhost", "@bob:localhost"]);
  });

  it("keeps invite-only rooms closed until the user is invited, and shows the invite in sync", async () => {
    const { room_id: roomId } = await pair.alice.createRoom({ preset: "private_chat" as never });
    await expect(pair.bob.joinRoom(roomId)).rejects.toMatchObject({ errcode: "M_FORBIDDEN" });
    await startSyncing(pair.bob);
    await pair.alice.invite(roomId, "@bob:localhost");
    const invited = await waitForRoom(pair.bob, roomId);
    expect(invited.getMyMembership()).toBe(Membership.invite);
    await pair.bob.joinRoom(roomId);
    await waitFor("bob joined", () =>
      invited.getMyMembership() === Membership.join ? true : undefined,
    );
    await pair.bob.leave(roomId);
    await waitFor("bob left", () =>
      invited.getMyMembership() === Membership.leave ? true : undefined,
    );
  });

  it("enforces power levels and state key ownership", async () => {
    const { room_id: roomId } = await pair.alice.createRoom({ preset: "public_chat" as never });
    await pair.bob.joinRoom(roomId);
    await expect(
      pair.bob.sendStateEvent(roomId, RoomEventType.name as never, { name: "bob's" } as never, ""),
    ).rejects.toMatchObject({ errcode: "M_FORBIDDEN" });
    await expect(
      pair.bob.sendStateEvent(roomId, callMember as never, {} as never, "@alice:localhost"),
    ).rejects.toMatchObject({ errcode: "M_FORBIDDEN" });
    await expect(
      pair.bob.sendStateEvent(
        roomId,
        callMember as never,
        {} as never,
        `_@alice:localhost_DEV${Values.memberStateKeySuffix}`,
      ),
    ).rejects.toMatchObject({ errcode: "M_FORBIDDEN" });
    // Needs state_default (50) without an override for the call member type.
    await expect(
      pair.bob.sendStateEvent(
        roomId,
        callMember as never,
        {} as never,
        `_@bob:localhost_DEV${Values.memberStateKeySuffix}`,
      ),
    ).rejects.toMatchObject({ errcode: "M_FORBIDDEN" });
    await pair.alice.sendStateEvent(
      roomId,
      callMember as never,
      {} as never,
      `_@bob:localhost_DEV${Values.memberStateKeySuffix}`,
    );
    await pair.alice.sendStateEvent(
      roomId,
      RoomEventType.name as never,
      { name: "ok" } as never,
      "",
    );
    expect(await pair.alice.getStateEvent(roomId, RoomEventType.name, "")).toEqual({ name: "ok" });
    const outsider = await registerClient(pair.hs.url, "carol");
    await expect(outsider.sendTextMessage(roomId, "hi")).rejects.toMatchObject({
      errcode: "M_FORBIDDEN",
    });
  });

  it("sends messages once per transaction id and pages through them", async () => {
    const { room_id: roomId } = await pair.alice.createRoom({});
    const token = pair.alice.getAccessToken()!;
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${RoomEventType.message}/txn1`;
    const first = await api(pair.hs.url, "PUT", path, {
      token,
      body: { msgtype: MessageType.text, body: "one" },
    });
    const again = await api(pair.hs.url, "PUT", path, {
      token,
      body: { msgtype: MessageType.text, body: "one" },
    });
    expect(first.status).toBe(200);
    expect(again.body.event_id).toBe(first.body.event_id);
    await pair.alice.sendTextMessage(roomId, "two");
    const page = await api(
      pair.hs.url,
      "GET",
      `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=2`,
      { token },
    );
    const bodies = (page.body.chunk as { content: { body?: string } }[]).map((e) => e.content.body);
    expect(bodies).toEqual(["two", "one"]);
    const older = await api(
      pair.hs.url,
      "GET",
      `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=100&from=${page.body.end}`,
      { token },
    );
    expect((older.body.chunk as { type: string }[]).at(-1)?.type).toBe(RoomEventType.create);
    expect(
      (older.body.chunk as { content: { body?: string } }[]).some((e) => e.content.body === "one"),
    ).toBe(false);
    const event = await pair.alice.fetchRoomEvent(roomId, first.body.event_id as string);
    expect(event.content).toEqual({ msgtype: MessageType.text, body: "one" });
    await pair.alice.sendReadReceipt(null);
    await pair.alice.sendTyping(roomId, true, 1000);
    expect((await pair.alice.getJoinedRooms()).joined_rooms).toEqual([roomId]);
  });

  it("reads state with and without a state key, and the member list", async () => {
    const { room_id: roomId } = await pair.alice.createRoom({ name: "Named" });
    const token = pair.alice.getAccessToken()!;
    const base = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}`;
    const bare = await api(pair.hs.url, "GET", `${base}/state/${RoomEventType.name}`, { token });
    const slash = await api(pair.hs.url, "GET", `${base}/state/${RoomEventType.name}/`, { token });
    expect(bare.body).toEqual({ name: "Named" });
    expect(slash.body).toEqual({ name: "Named" });
    const all = await api(pair.hs.url, "GET", `${base}/state`, { token });
    expect((all.body as unknown as { type: string }[]).map((e) => e.type)).toContain(
      RoomEventType.powerLevels,
    );
    const members = await api(pair.hs.url, "GET", `${base}/members`, { token });
    expect((members.body.chunk as { state_key: string }[]).map((e) => e.state_key)).toEqual([
      "@alice:localhost",
    ]);
    const missing = await api(pair.hs.url, "GET", `${base}/state/${RoomEventType.topic}`, {
      token,
    });
    expect(missing.body.errcode).toBe("M_NOT_FOUND");
  });

  it("keeps a banned user out of a public room until unbanned, and lets only moderators kick", async () => {
    const { room_id: roomId } = await pair.alice.createRoom({ preset: "public_chat" as never });
    await pair.bob.joinRoom(roomId);
    await expect(pair.bob.kick(roomId, "@alice:localhost")).rejects.toMatchObject({
      errcode: "M_FORBIDDEN",
    });
    await pair.alice.ban(roomId, "@bob:localhost");
    await expect(pair.bob.joinRoom(roomId)).rejects.toMatchObject({ errcode: "M_FORBIDDEN" });
    await pair.alice.unban(roomId, "@bob:localhost");
    await pair.bob.joinRoom(roomId);
    await pair.alice.kick(roomId, "@bob:localhost");
    expect((await pair.bob.getJoinedRooms()).joined_rooms).toEqual([]);
  });
});
