import { StateEventNames, Values } from "@matrix-focus/protocol";
import type { MatrixClient } from "matrix-js-sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "./clock.ts";
import type { RunningHomeserver } from "./options.ts";
import { startHomeserver } from "./server.ts";
import { registerClient, startSyncing, waitFor, waitForRoom } from "./testing/sdk.ts";

const callMember = StateEventNames.callMember.unstable;
const focus = { type: Values.focusTypeMsc3898, user_id: "@focus:localhost", device_id: "FOCUS" };

describe("matrix-js-sdk's MatrixRTC session against the homeserver", () => {
  let hs: RunningHomeserver;
  let clock: ManualClock;
  let alice: MatrixClient;
  let bob: MatrixClient;
  let roomId: string;

  beforeEach(async () => {
    clock = new ManualClock();
    hs = await startHomeserver({ clock, rtcTransports: [focus] });
    alice = await registerClient(hs.url, "alice");
    bob = await registerClient(hs.url, "bob");
    roomId = (
      await alice.createRoom({
        preset: "public_chat" as never,
        power_level_content_override: { events: { [callMember]: 0 } },
      })
    ).room_id;
    await bob.joinRoom(roomId);
    await Promise.all([startSyncing(alice), startSyncing(bob)]);
  });

  afterEach(async () => {
    alice.stopClient();
    bob.stopClient();
    await hs.close();
  });

  it("joins a call, publishes the membership to the other client and protects it with a delayed leave", async () => {
    const bobRoom = await waitForRoom(bob, roomId);
    const session = bob.matrixRTC.getRoomSession(bobRoom);
    session.joinRoomSession([focus], undefined, { delayedLeaveEventDelayMs: 8000 });

    const stateKey = `_@bob:localhost_${bob.getDeviceId()}${Values.memberStateKeySuffix}`;
    const aliceRoom = await waitForRoom(alice, roomId);
    const event = await waitFor("bob's call membership at alice", () => {
      const e = aliceRoom.currentState.getStateEvents(callMember, stateKey);
      return e && Object.keys(e.getContent()).length > 0 ? e : undefined;
    });
    expect(event.getContent()).toMatchObject({
      application: Values.applicationCall,
      device_id: bob.getDeviceId(),
      foci_preferred: [focus],
    });
    const aliceSession = alice.matrixRTC.getRoomSession(aliceRoom);
    await waitFor("bob in alice's session", () =>
      aliceSession.memberships.some((m) => m.sender === "@bob:localhost") ? true : undefined,
    );

    const delayed = await waitFor("bob's delayed leave", async () => {
      const scheduled = (await bob._unstable_getDelayedEvents("scheduled")).scheduled ?? [];
      return scheduled.length > 0 ? scheduled : undefined;
    });
    expect(delayed[0]).toMatchObject({ room_id: roomId, type: callMember, state_key: stateKey });

    // Bob's device vanishes without leaving: no more restarts reach the server.
    bob.stopClient();
    clock.advance(8000);
    await waitFor("bob's membership emptied at alice", () => {
      const e = aliceRoom.currentState.getStateEvents(callMember, stateKey);
      return e && Object.keys(e.getContent()).length === 0 ? true : undefined;
    });
    await waitFor("bob gone from alice's session", () =>
      aliceSession.memberships.some((m) => m.sender === "@bob:localhost") ? undefined : true,
    );
  });

  it("leaves a call by sending the scheduled delayed leave, which the other client sees", async () => {
    const bobRoom = await waitForRoom(bob, roomId);
    const session = bob.matrixRTC.getRoomSession(bobRoom);
    session.joinRoomSession([focus], undefined, { delayedLeaveEventDelayMs: 8000 });
    const stateKey = `_@bob:localhost_${bob.getDeviceId()}${Values.memberStateKeySuffix}`;
    const aliceRoom = await waitForRoom(alice, roomId);
    const hasContent = () => {
      const e = aliceRoom.currentState.getStateEvents(callMember, stateKey);
      return e ? Object.keys(e.getContent()).length > 0 : undefined;
    };
    await waitFor("bob's call membership at alice", () => (hasContent() ? true : undefined));
    await waitFor("bob's delayed leave", async () => {
      const scheduled = (await bob._unstable_getDelayedEvents("scheduled")).scheduled ?? [];
      return scheduled.length > 0 ? true : undefined;
    });
    expect(await session.leaveRoomSession(5000)).toBe(true);
    await waitFor("bob's membership emptied at alice", () =>
      hasContent() === false ? true : undefined,
    );
    const info = await bob._unstable_getDelayedEvents();
    expect(info.scheduled).toEqual([]);
    expect(info.finalised?.some((f) => f.outcome === "send" && f.reason === "action")).toBe(true);
  });
});
