// The membership writers and readers against the project's homeserver, through matrix-js-sdk.
import { type RunningHomeserver, startHomeserver } from "@matrix-focus/homeserver";
import { LoginType, StateEventNames, Values } from "@matrix-focus/protocol";
import { ClientEvent, createClient, type MatrixClient, type Room, SyncState } from "matrix-js-sdk";
import { logger as sdkLogger } from "matrix-js-sdk/lib/logger.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../log.ts";
import type { FocusRef } from "../types.ts";
import { systemClock } from "../util/Clock.ts";
import { RtcSessionMembership, StateMembership } from "./MembershipPublisher.ts";
import { readMemberships, toMemberFoci } from "./memberContent.ts";
import { ensureConfId, fetchTransports, findConfId, memberStateEvents } from "./room.ts";

const quiet = sdkLogger as unknown as { methodFactory: unknown; rebuild(): void };
quiet.methodFactory = () => () => {};
quiet.rebuild();

const focus: FocusRef = {
  type: Values.focusTypeMsc3898,
  user_id: "@focus:localhost",
  device_id: "FOCUS",
};
const other: FocusRef = {
  type: Values.focusTypeMsc3898,
  user_id: "@focus2:localhost",
  device_id: "F2",
};

async function register(baseUrl: string, username: string): Promise<MatrixClient> {
  const res = await createClient({ baseUrl }).registerRequest({
    username,
    password: "correct horse battery staple",
    auth: { type: LoginType.dummy },
  });
  const client = createClient({
    baseUrl,
    userId: res.user_id,
    deviceId: res.device_id!,
    accessToken: res.access_token!,
  });
  const ready = new Promise<void>((resolve) => {
    const onSync = (s: SyncState) => {
      if (s === SyncState.Prepared || s === SyncState.Syncing) resolve();
    };
    client.on(ClientEvent.Sync, onSync);
  });
  await client.startClient({ initialSyncLimit: 10 });
  await ready;
  return client;
}

async function until<T>(what: string, check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("memberships on a homeserver", () => {
  let hs: RunningHomeserver;
  let alice: MatrixClient;
  let bob: MatrixClient;
  let aliceRoom: Room;
  let bobRoom: Room;

  beforeEach(async () => {
    hs = await startHomeserver({ rtcTransports: [focus, { type: Values.focusTypeLivekit }] });
    alice = await register(hs.url, "alice");
    bob = await register(hs.url, "bob");
    const events = Object.fromEntries(
      [StateEventNames.callMember, StateEventNames.call].flatMap((n) => [
        [n.stable, 0],
        [n.unstable, 0],
      ]),
    );
    const { room_id } = await alice.createRoom({
      preset: "public_chat" as never,
      power_level_content_override: { events },
    });
    await bob.joinRoom(room_id);
    aliceRoom = await until("alice's room", () => alice.getRoom(room_id) ?? undefined);
    bobRoom = await until("bob's room", () => bob.getRoom(room_id) ?? undefined);
  });

  afterEach(async () => {
    alice.stopClient();
    bob.stopClient();
    await hs.close();
  });

  it("reads the MSC3898 foci the homeserver advertises and skips other transports", async () => {
    expect(await fetchTransports(bob, silentLogger)).toEqual([focus]);
  });

  it("writes a legacy membership and the room's call event that another member reads back", async () => {
    const confId = await ensureConfId(bob, bobRoom, "unstable", silentLogger);
    await until("the call event at alice", () => findConfId(aliceRoom));
    expect(findConfId(aliceRoom)).toBe(confId);
    const membership = new StateMembership({
      shape: "legacy",
      client: bob,
      room: bobRoom,
      confId,
      sessionId: "sess",
      focusSelection: Values.focusSelectionMultiSfu,
      variant: "unstable",
      expiryMs: 3_600_000,
      headroomMs: 60_000,
      clock: systemClock,
      logger: silentLogger,
    });
    await membership.publish(focus, [focus, other]);
    const read = () =>
      readMemberships(memberStateEvents(aliceRoom), { legacy: confId, perDevice: "" }, Date.now());
    const [m] = await until("bob's membership at alice", () =>
      read().length > 0 ? read() : undefined,
    );
    expect(m).toMatchObject({
      userId: bob.getUserId(),
      deviceId: bob.getDeviceId(),
      shape: "legacy",
      sessionId: "sess",
    });
    expect(toMemberFoci(read())[0]?.active).toEqual([focus]);
    expect(toMemberFoci(read())[0]?.preferred).toEqual([focus, other]);
    await membership.leave();
    await until("bob's membership gone at alice", () => (read().length === 0 ? true : undefined));
  });

  it("joins through MatrixRTCSession naming the chosen focus first in foci_preferred", async () => {
    const membership = new RtcSessionMembership({
      client: bob,
      room: bobRoom,
      focusSelection: Values.focusSelectionMultiSfu,
      expiryMs: 3_600_000,
      leaveTimeoutMs: 5_000,
      publishTimeoutMs: 10_000,
      logger: silentLogger,
    });
    await membership.publish(other, [focus, other]);
    const read = () =>
      readMemberships(
        memberStateEvents(aliceRoom),
        { legacy: undefined, perDevice: "" },
        Date.now(),
      );
    const [m] = await until("bob's membership at alice", () =>
      read().length > 0 ? read() : undefined,
    );
    expect(m).toMatchObject({
      shape: "perDevice",
      deviceId: bob.getDeviceId(),
      focusSelection: Values.focusSelectionMultiSfu,
    });
    expect(toMemberFoci(read())[0]?.active).toEqual([other]);
    expect(toMemberFoci(read())[0]?.preferred).toEqual([other, focus]);
    await membership.leave();
    await until("bob's membership gone at alice", () => (read().length === 0 ? true : undefined));
  });
});
