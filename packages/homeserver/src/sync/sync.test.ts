import type { MatrixClient } from "matrix-js-sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../clock.ts";
import { MessageType, RoomEventType } from "../names.ts";
import type { RunningHomeserver } from "../options.ts";
import { startHomeserver } from "../server.ts";
import { api, registerClient } from "../testing/sdk.ts";

type SyncBody = {
  next_batch: string;
  rooms: {
    join: Record<string, { timeline: { events: { type: string; content: { body?: string } }[] } }>;
    invite: Record<string, { invite_state: { events: { type: string }[] } }>;
    leave: Record<string, unknown>;
  };
};

describe("sync", () => {
  let hs: RunningHomeserver;
  let clock: ManualClock;
  let alice: MatrixClient;
  let bob: MatrixClient;

  beforeEach(async () => {
    clock = new ManualClock();
    hs = await startHomeserver({ clock });
    alice = await registerClient(hs.url, "alice");
    bob = await registerClient(hs.url, "bob");
  });

  afterEach(async () => {
    await hs.close();
  });

  const sync = async (client: MatrixClient, query = "") =>
    (
      await api(hs.url, "GET", `/_matrix/client/v3/sync${query}`, {
        token: client.getAccessToken()!,
      })
    ).body as unknown as SyncBody;

  it("holds a long poll until a new event arrives and then returns only that event", async () => {
    const { room_id: roomId } = await alice.createRoom({});
    const first = await sync(alice);
    expect(first.rooms.join[roomId]?.timeline.events[0]?.type).toBe(RoomEventType.create);
    let answered = false;
    const waiting = sync(alice, `?since=${first.next_batch}&timeout=30000`).then((b) => {
      answered = true;
      return b;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false);
    await alice.sendMessage(roomId, { msgtype: MessageType.text, body: "wake up" } as never);
    const next = await waiting;
    expect(next.rooms.join[roomId]?.timeline.events.map((e) => e.content.body)).toEqual([
      "wake up",
    ]);
  });

  it("ends an idle long poll when its timeout passes on the server clock", async () => {
    const first = await sync(alice);
    const waiting = sync(alice, `?since=${first.next_batch}&timeout=5000`);
    await new Promise((r) => setTimeout(r, 50));
    clock.advance(5000);
    const idle = await waiting;
    expect(idle.rooms.join).toEqual({});
    expect(idle.next_batch).toBe(first.next_batch);
  });

  it("reports invites with stripped state, and rooms the user has left", async () => {
    const { room_id: roomId } = await alice.createRoom({ name: "Secret" });
    const before = await sync(bob);
    await alice.invite(roomId, "@bob:localhost");
    const invited = await sync(bob, `?since=${before.next_batch}`);
    const types = invited.rooms.invite[roomId]?.invite_state.events.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([RoomEventType.create, RoomEventType.name, RoomEventType.member]),
    );
    await bob.joinRoom(roomId);
    const joined = await sync(bob, `?since=${invited.next_batch}`);
    expect(Object.keys(joined.rooms.join)).toEqual([roomId]);
    await bob.leave(roomId);
    const left = await sync(bob, `?since=${joined.next_batch}`);
    expect(Object.keys(left.rooms.leave)).toEqual([roomId]);
    expect(left.rooms.join).toEqual({});
  });

  it("limits the timeline by the filter and marks it limited", async () => {
    const { room_id: roomId } = await alice.createRoom({});
    const filter = encodeURIComponent(JSON.stringify({ room: { timeline: { limit: 2 } } }));
    const body = (
      await api(hs.url, "GET", `/_matrix/client/v3/sync?filter=${filter}`, {
        token: alice.getAccessToken()!,
      })
    ).body as unknown as {
      rooms: {
        join: Record<
          string,
          {
            timeline: { events: unknown[]; limited: boolean };
            state: { events: { type: string }[] };
          }
        >;
      };
    };
    const room = body.rooms.join[roomId]!;
    expect(room.timeline.events).toHaveLength(2);
    expect(room.timeline.limited).toBe(true);
    expect(room.state.events.map((e) => e.type)).toContain(RoomEventType.create);
  });

  it("sends a display name change as a member event in the timeline, not as a fresh join", async () => {
    const { room_id: roomId } = await alice.createRoom({});
    const first = await sync(alice);
    await alice.setDisplayName("Alice Renamed");
    const next = (
      await api(hs.url, "GET", `/_matrix/client/v3/sync?since=${first.next_batch}`, {
        token: alice.getAccessToken()!,
      })
    ).body as unknown as {
      rooms: {
        join: Record<
          string,
          {
            state: { events: unknown[] };
            timeline: { events: { type: string; content: { displayname?: string } }[] };
          }
        >;
      };
    };
    const room = next.rooms.join[roomId]!;
    expect(room.state.events).toEqual([]);
    expect(room.timeline.events.map((e) => [e.type, e.content.displayname])).toEqual([
      [RoomEventType.member, "Alice Renamed"],
    ]);
  });
});
