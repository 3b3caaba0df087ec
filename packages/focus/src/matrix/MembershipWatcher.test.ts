import {
  buildPerDeviceMemberContent,
  perDeviceMemberStateKey,
  StateEventNames,
} from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import type { ConferenceInput } from "../conference/inputs.ts";
import { createLogger } from "../observability/logger.ts";
import { CallRegistry } from "./CallRegistry.ts";
import { MembershipWatcher } from "./MembershipWatcher.ts";
import { RoomStateTracker } from "./RoomStateTracker.ts";

const ROOM = "!r:hs";
const bob = { userId: "@bob:hs", deviceId: "BOB" };
const focus = { userId: "@focus:hs", deviceId: "FOCUS" };

function setUp(expiresMs: number) {
  const rooms = new RoomStateTracker(createLogger({ level: "silent" }));
  rooms.applyStateEvent(ROOM, {
    type: StateEventNames.member.stable,
    state_key: bob.userId,
    sender: bob.userId,
    content: { membership: "join" },
  });
  rooms.applyStateEvent(ROOM, {
    type: StateEventNames.callMember.unstable,
    state_key: perDeviceMemberStateKey(bob.userId, bob.deviceId),
    sender: bob.userId,
    origin_server_ts: 0,
    content: buildPerDeviceMemberContent({
      deviceId: bob.deviceId,
      fociPreferred: [focus],
      expiresMs,
    }),
  });
  const calls = new CallRegistry(() => true, 1000);
  calls.add({
    callId: "c1",
    caller: bob,
    partyId: "BOB",
    callerSessionId: "s",
    roomIdInMessages: true,
    conference: { roomId: ROOM, confId: "" },
    acceptedAt: 0,
  });
  const left: ConferenceInput[] = [];
  const watcher = new MembershipWatcher(rooms, calls, (i) => left.push(i));
  return { rooms, calls, left, watcher };
}

describe("MembershipWatcher", () => {
  it("reports a caller whose membership expired, once", () => {
    const { left, watcher, calls } = setUp(10_000);
    watcher.check(9_999);
    expect(left).toEqual([]);
    watcher.check(10_000);
    watcher.check(10_001);
    expect(left).toEqual([
      { kind: "memberLeft", conference: { roomId: ROOM, confId: "" }, member: bob },
    ]);
    expect(calls.size).toBe(0);
  });

  it("reports a caller whose membership was replaced by empty content", () => {
    const { rooms, left, watcher } = setUp(60_000);
    rooms.applyStateEvent(ROOM, {
      type: StateEventNames.callMember.unstable,
      state_key: perDeviceMemberStateKey(bob.userId, bob.deviceId),
      sender: bob.userId,
      content: {},
    });
    watcher.check(1);
    expect(left).toHaveLength(1);
  });

  it("reports a caller who left the room", () => {
    const { rooms, left, watcher } = setUp(60_000);
    rooms.applyStateEvent(ROOM, {
      type: StateEventNames.member.stable,
      state_key: bob.userId,
      sender: bob.userId,
      content: { membership: "leave" },
    });
    watcher.check(1);
    expect(left).toHaveLength(1);
  });
});
