import {
  buildCallStateContent,
  buildLegacyMemberContent,
  ContentKeys,
  StateEventNames,
} from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { createLogger } from "../observability/logger.ts";
import { RoomStateTracker } from "./RoomStateTracker.ts";

const ROOM = "!r:hs";
const focus = { userId: "@focus:hs", deviceId: "F" };

function legacy(confId: string, expiresTs: number) {
  return buildLegacyMemberContent(
    [{ confId, devices: [{ deviceId: "D", sessionId: "s", expiresTs, fociActive: [focus] }] }],
    "stable",
  );
}

describe("RoomStateTracker", () => {
  it("reads call memberships under the stable and the unstable event type", () => {
    const t = new RoomStateTracker(createLogger({ level: "silent" }));
    t.applyStateEvent(ROOM, {
      type: StateEventNames.callMember.stable,
      state_key: "@a:hs",
      sender: "@a:hs",
      content: legacy("c1", 100),
    });
    t.applyStateEvent(ROOM, {
      type: StateEventNames.callMember.unstable,
      state_key: "@b:hs",
      sender: "@b:hs",
      content: legacy("c1", 100),
    });
    expect(t.view(ROOM)?.memberships.map((m) => [m.userId, m.confId, m.fociActive])).toEqual([
      ["@a:hs", "c1", [focus]],
      ["@b:hs", "c1", [focus]],
    ]);
    expect(t.roomsWithMembership("@b:hs", "c1")).toEqual([ROOM]);
  });

  it("drops a membership that stops parsing, and one written by someone else", () => {
    const t = new RoomStateTracker(createLogger({ level: "silent" }));
    const key = { type: StateEventNames.callMember.unstable, state_key: "@a:hs" };
    t.applyStateEvent(ROOM, { ...key, sender: "@a:hs", content: legacy("c1", 100) });
    t.applyStateEvent(ROOM, {
      ...key,
      sender: "@a:hs",
      content: { [ContentKeys.calls.stable]: "nope" },
    });
    expect(t.view(ROOM)?.memberships).toEqual([]);
    t.applyStateEvent(ROOM, { ...key, sender: "@mallory:hs", content: legacy("c1", 100) });
    expect(t.view(ROOM)?.memberships).toEqual([]);
  });

  it("finds legacy conferences by the m.call state key until the call event is emptied", () => {
    const t = new RoomStateTracker(createLogger({ level: "silent" }));
    const call = { type: StateEventNames.call.unstable, state_key: "c1", sender: "@a:hs" };
    t.applyStateEvent(ROOM, { ...call, content: buildCallStateContent() });
    expect(t.roomsWithCall("c1")).toEqual([ROOM]);
    t.applyStateEvent(ROOM, { ...call, content: {} });
    expect(t.roomsWithCall("c1")).toEqual([]);
  });

  it("counts only current memberships of joined users as current", () => {
    const t = new RoomStateTracker(createLogger({ level: "silent" }));
    for (const [user, expires] of [
      ["@a:hs", 100],
      ["@b:hs", 50],
      ["@c:hs", 100],
    ] as const) {
      t.applyStateEvent(ROOM, {
        type: StateEventNames.callMember.unstable,
        state_key: user,
        sender: user,
        content: legacy("c1", expires),
      });
    }
    for (const [user, membership] of [
      ["@a:hs", "join"],
      ["@b:hs", "join"],
      ["@c:hs", "leave"],
    ]) {
      t.applyStateEvent(ROOM, {
        type: StateEventNames.member.stable,
        state_key: user,
        sender: user as string,
        content: { membership },
      });
    }
    expect(t.currentMemberships(60).map((p) => p.membership.userId)).toEqual(["@a:hs"]);
    expect(t.view(ROOM)?.joinedMembers).toEqual(new Set(["@a:hs", "@b:hs"]));
  });
});
