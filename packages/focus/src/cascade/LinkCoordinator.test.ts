import {
  buildPerDeviceMemberContent,
  type FocusRef,
  perDeviceMemberStateKey,
  StateEventNames,
} from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import type { ConferenceLinks, LinkView } from "../conference/ConferenceManager.ts";
import type { ConferenceInput } from "../conference/inputs.ts";
import { CallRegistry } from "../matrix/CallRegistry.ts";
import { RoomStateTracker } from "../matrix/RoomStateTracker.ts";
import { createLogger } from "../observability/logger.ts";
import { fociInUseByConference, LinkCoordinator } from "./LinkCoordinator.ts";

const ROOM = "!r:hs";
const conference = { roomId: ROOM, confId: "" };
const fa: FocusRef = { userId: "@focus-a:hs", deviceId: "A" };
const fb: FocusRef = { userId: "@focus-b:hs", deviceId: "B" };
const fc: FocusRef = { userId: "@focus-c:hs", deviceId: "C" };
const retry = { initialMs: 1000, maxMs: 8000, factor: 2, jitter: 0 };

function setUp(me: FocusRef) {
  const rooms = new RoomStateTracker(createLogger({ level: "silent" }));
  const inputs: ConferenceInput[] = [];
  let links: LinkView[] = [];
  const calls = new CallRegistry(() => true, 1000);
  const coordinator = new LinkCoordinator({
    me,
    inUse: (now) => fociInUseByConference(rooms, now),
    calls,
    conferences: {
      links: (): ConferenceLinks[] => [{ conference, localParticipants: 1, links }],
      handle: (i) => inputs.push(i),
    },
    backoff: retry,
    logger: createLogger({ level: "silent" }),
  });
  const member = (name: string, focus: FocusRef) => {
    const userId = `@${name}:hs`;
    rooms.applyStateEvent(ROOM, {
      type: StateEventNames.member.stable,
      state_key: userId,
      sender: userId,
      content: { membership: "join" },
    });
    rooms.applyStateEvent(ROOM, {
      type: StateEventNames.callMember.unstable,
      state_key: perDeviceMemberStateKey(userId, name.toUpperCase()),
      sender: userId,
      origin_server_ts: 0,
      content: buildPerDeviceMemberContent({
        deviceId: name.toUpperCase(),
        fociPreferred: [focus],
      }),
    });
  };
  const dialled = () =>
    inputs
      .filter((i) => i.kind === "linkRequested")
      .map((i) => i.kind === "linkRequested" && i.focus);
  const link = (focus: FocusRef, state = "connected"): LinkView => ({
    callId: `link-${focus.deviceId}`,
    focus,
    dialer: true,
    sibling: false,
    state,
    tracksOut: 0,
    tracksIn: 0,
    packetsOut: 0,
    bytesOut: 0,
    sent: {},
  });
  return {
    coordinator,
    calls,
    inputs,
    member,
    dialled,
    link,
    setLinks: (l: LinkView[]) => {
      links = l;
    },
  };
}

describe("LinkCoordinator", () => {
  it("dials every focus in use that sorts after it, and registers the call", () => {
    const t = setUp(fb);
    t.member("ann", fa);
    t.member("bob", fb);
    t.member("cat", fc);
    t.coordinator.check(0);
    expect(t.dialled()).toEqual([fc]); // A dials B; B dials C
    const req = t.inputs[0];
    expect(req?.kind === "linkRequested" && t.calls.get(req.callId, 0)?.link).toBe(true);
  });

  it("does not link when no member uses this focus", () => {
    const t = setUp(fa);
    t.member("bob", fb);
    t.member("cat", fc);
    t.coordinator.check(0);
    expect(t.inputs).toEqual([]);
  });

  it("retries a link that failed with growing delays, and resets once connected", () => {
    const t = setUp(fa);
    t.member("ann", fa);
    t.member("bob", fb);
    t.coordinator.check(0); // attempt 1
    t.coordinator.check(999); // too early: the link ended, back-off 1 s
    t.coordinator.check(1000); // attempt 2, next after 2 s
    t.coordinator.check(2999);
    t.coordinator.check(3000); // attempt 3
    expect(t.dialled()).toHaveLength(3);
    t.setLinks([t.link(fb)]);
    t.coordinator.check(3500); // connected: attempts forgotten
    t.setLinks([]);
    t.coordinator.check(3600); // failed again: dialled at once
    expect(t.dialled()).toHaveLength(4);
  });

  it("drops a link to a focus no current member uses any more", () => {
    const t = setUp(fa);
    t.member("ann", fa);
    t.setLinks([t.link(fb)]);
    t.coordinator.check(0);
    expect(t.inputs).toEqual([{ kind: "linkDropped", conference, callId: "link-B" }]);
  });

  it("keeps a link that is still wanted and does not dial it twice", () => {
    const t = setUp(fa);
    t.member("ann", fa);
    t.member("bob", fb);
    t.setLinks([t.link(fb, "connecting")]);
    t.coordinator.check(0);
    expect(t.inputs).toEqual([]);
  });

  it("accepts a connect request only for a focus in use, and dials at once", () => {
    const t = setUp(fa);
    t.member("ann", fa);
    t.member("bob", fb);
    expect(t.coordinator.request(conference, fc, 0)).not.toBe("");
    t.coordinator.check(0);
    t.coordinator.check(10); // back-off pending
    expect(t.dialled()).toHaveLength(1);
    expect(t.coordinator.request(conference, fb, 20)).toBe("");
    expect(t.dialled()).toHaveLength(2);
  });
});
