import {
  buildCallStateContent,
  buildLegacyMemberContent,
  buildPerDeviceMemberContent,
  type CallEvent,
  CallEventNames,
  HangupReason,
  perDeviceMemberStateKey,
  StateEventNames,
} from "@matrix-focus/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { RateLimiter } from "../auth/RateLimiter.ts";
import type { ConferenceInput, DeviceRef } from "../conference/inputs.ts";
import { createLogger } from "../observability/logger.ts";
import { FakeClock } from "../util/Clock.ts";
import { CallEventInbox, type IgnoredWhy } from "./CallEventInbox.ts";
import { CallRegistry } from "./CallRegistry.ts";
import { RoomStateTracker } from "./RoomStateTracker.ts";
import type { ToDeviceEvent } from "./syncTypes.ts";

const focus = { userId: "@focus:hs", deviceId: "FOCUS" };
const ROOM = "!room:hs";
const NOW = 1_000_000;

let clock: FakeClock;
let rooms: RoomStateTracker;
let handled: ConferenceInput[];
let sent: { to: DeviceRef; event: CallEvent }[];
let ignored: IgnoredWhy[];
let inbox: CallEventInbox;

function join(userId: string) {
  rooms.applyStateEvent(ROOM, {
    type: StateEventNames.member.stable,
    state_key: userId,
    sender: userId,
    content: { membership: "join" },
  });
}

function legacyMember(
  userId: string,
  deviceId: string,
  foci: DeviceRef[],
  expiresTs = NOW + 60_000,
) {
  rooms.applyStateEvent(ROOM, {
    type: StateEventNames.callMember.unstable,
    state_key: userId,
    sender: userId,
    content: buildLegacyMemberContent([
      { confId: "conf1", devices: [{ deviceId, sessionId: "s", expiresTs, fociPreferred: foci }] },
    ]),
  });
}

function invite(
  sender: string,
  deviceId: string,
  over: Record<string, unknown> = {},
): ToDeviceEvent {
  return {
    type: CallEventNames.invite.stable,
    sender,
    content: {
      call_id: `call-${deviceId}`,
      conf_id: "conf1",
      party_id: deviceId,
      version: "1",
      device_id: deviceId,
      sender_session_id: `sess-${deviceId}`,
      dest_session_id: "",
      offer: { type: "offer", sdp: "v=0\r\n" },
      lifetime: 30_000,
      ...over,
    },
  };
}

function follow(
  type: string,
  sender: string,
  deviceId: string,
  over: Record<string, unknown> = {},
) {
  const base = invite(sender, deviceId).content as Record<string, unknown>;
  const { offer: _o, lifetime: _l, ...common } = base;
  return { type, sender, content: { ...common, candidates: [], ...over } } as ToDeviceEvent;
}

const reasons = () =>
  sent.map((s) => (s.event.kind === "hangup" ? s.event.content.reason : s.event.kind));

beforeEach(() => {
  clock = new FakeClock(NOW);
  rooms = new RoomStateTracker(createLogger({ level: "silent" }));
  handled = [];
  sent = [];
  ignored = [];
  rooms.applyStateEvent(ROOM, {
    type: StateEventNames.call.stable,
    state_key: "conf1",
    sender: "@alice:hs",
    content: buildCallStateContent(),
  });
  join("@alice:hs");
  legacyMember("@alice:hs", "ALICE", [focus]);
  inbox = new CallEventInbox({
    focus,
    sessionId: "focus-session",
    rooms,
    calls: new CallRegistry(() => true, 10_000),
    limiter: new RateLimiter({ ratePerSecond: 1, burst: 5, clock }),
    conferences: { handle: (i) => handled.push(i) },
    signalling: {
      sendCallEvent: async (to, event) => {
        sent.push({ to, event });
      },
    },
    clock,
    logger: createLogger({ level: "silent" }),
    allowedHomeservers: [],
    maxInviteAgeMs: 60_000,
    maxCallsPerUser: 1,
    rateLimitReplyIntervalMs: 1000,
    observer: { ignored: (why) => ignored.push(why) },
  });
});

describe("CallEventInbox", () => {
  it("hands a legacy member's invite to the conference of the room whose m.call has the conf_id", () => {
    inbox.handleBatch([invite("@alice:hs", "ALICE")], false);
    expect(handled).toEqual([
      expect.objectContaining({
        kind: "callEventReceived",
        conference: { roomId: ROOM, confId: "conf1" },
        sender: { userId: "@alice:hs", deviceId: "ALICE" },
      }),
    ]);
    expect(sent).toEqual([]);
  });

  it("keys a per-device member's invite by the room_id it carries", () => {
    join("@bob:hs");
    rooms.applyStateEvent(ROOM, {
      type: StateEventNames.callMember.unstable,
      state_key: perDeviceMemberStateKey("@bob:hs", "BOB"),
      sender: "@bob:hs",
      origin_server_ts: NOW,
      content: buildPerDeviceMemberContent({ deviceId: "BOB", fociPreferred: [focus] }),
    });
    inbox.handleBatch([invite("@bob:hs", "BOB", { conf_id: "", room_id: ROOM })], false);
    expect(handled[0]?.conference).toEqual({ roomId: ROOM, confId: "" });
  });

  it("refuses a user who is not in the room with not_a_member, addressed to the caller's session", () => {
    inbox.handleBatch([invite("@eve:hs", "EVE")], false);
    expect(handled).toEqual([]);
    expect(reasons()).toEqual([HangupReason.notAMember]);
    expect(sent[0]?.to).toEqual({ userId: "@eve:hs", deviceId: "EVE" });
    expect(sent[0]?.event.content).toMatchObject({
      call_id: "call-EVE",
      dest_session_id: "sess-EVE",
      device_id: "FOCUS",
      party_id: "FOCUS",
    });
  });

  it("refuses a member whose membership names another focus with focus_not_named", () => {
    join("@carol:hs");
    legacyMember("@carol:hs", "CAROL", [{ userId: "@other:hs", deviceId: "X" }]);
    inbox.handleBatch([invite("@carol:hs", "CAROL")], false);
    expect(reasons()).toEqual([HangupReason.focusNotNamed]);
  });

  it("refuses a conf_id no room knows with unknown_conference", () => {
    inbox.handleBatch([invite("@alice:hs", "ALICE", { conf_id: "nope" })], false);
    expect(reasons()).toEqual([HangupReason.unknownConference]);
  });

  it("refuses a member whose membership expired", () => {
    clock.advance(60_001);
    inbox.handleBatch([invite("@alice:hs", "ALICE")], false);
    expect(reasons()).toEqual([HangupReason.notAMember]);
  });

  it("refuses an invite older than its lifetime with invite_expired", () => {
    inbox.handleBatch([invite("@alice:hs", "ALICE", { created_ts: NOW - 31_000 })], true);
    expect(reasons()).toEqual([HangupReason.inviteExpired]);
  });

  it("refuses a second concurrent call of the same user with capacity", () => {
    inbox.handleBatch(
      [invite("@alice:hs", "ALICE"), invite("@alice:hs", "ALICE", { call_id: "c2" })],
      false,
    );
    expect(handled).toHaveLength(1);
    expect(reasons()).toEqual([HangupReason.capacity]);
  });

  it("refuses invites beyond the message rate with rate_limited", () => {
    const burst = Array.from({ length: 6 }, (_, i) =>
      invite("@eve:hs", "EVE", { call_id: `c${i}` }),
    );
    inbox.handleBatch(burst, false);
    expect(reasons().at(-1)).toBe(HangupReason.rateLimited);
  });

  it("answers a flood with one rate_limited refusal per interval, not one per invite", () => {
    const flood = (from: number) =>
      Array.from({ length: 20 }, (_, i) => invite("@eve:hs", "EVE", { call_id: `c${from + i}` }));
    inbox.handleBatch(flood(0), false);
    expect(reasons().filter((r) => r === HangupReason.rateLimited)).toHaveLength(1);
    clock.advance(1000);
    inbox.handleBatch(flood(100), false);
    expect(reasons().filter((r) => r === HangupReason.rateLimited)).toHaveLength(2);
    expect(ignored.filter((w) => w === "rate_limited").length).toBeGreaterThan(30);
  });

  it("counts malformed messages against the rate limit, so a flood of them costs little", () => {
    const junk = Array.from({ length: 10 }, () => invite("@eve:hs", "EVE", { offer: 1 }));
    inbox.handleBatch(junk, false);
    expect(ignored.filter((w) => w === "malformed")).toHaveLength(5);
    expect(ignored.filter((w) => w === "rate_limited")).toHaveLength(5);
    expect(sent).toEqual([]);
  });

  it("logs and ignores a malformed invite without answering it", () => {
    inbox.handleBatch([invite("@alice:hs", "ALICE", { offer: "not an offer" })], false);
    expect(handled).toEqual([]);
    expect(sent).toEqual([]);
    expect(ignored).toEqual(["malformed"]);
  });

  it("passes candidates of an accepted call on and ignores those with a foreign party_id", () => {
    inbox.handleBatch([invite("@alice:hs", "ALICE")], false);
    inbox.handleBatch(
      [
        follow(CallEventNames.candidates.stable, "@alice:hs", "ALICE"),
        follow(CallEventNames.candidates.stable, "@alice:hs", "ALICE", { party_id: "OTHER" }),
        follow(CallEventNames.hangup.stable, "@mallory:hs", "ALICE"),
      ],
      false,
    );
    expect(handled.map((i) => (i.kind === "callEventReceived" ? i.event.kind : i.kind))).toEqual([
      "invite",
      "candidates",
    ]);
    expect(ignored).toEqual(["foreign_party", "foreign_sender"]);
  });

  it("ignores messages for calls that do not exist", () => {
    inbox.handleBatch([follow(CallEventNames.candidates.stable, "@alice:hs", "ALICE")], false);
    expect(handled).toEqual([]);
    expect(ignored).toEqual(["unknown_call"]);
  });

  it("skips a backlog invite that the caller hung up later in the same batch", () => {
    inbox.handleBatch(
      [invite("@alice:hs", "ALICE"), follow(CallEventNames.hangup.stable, "@alice:hs", "ALICE")],
      true,
    );
    expect(handled).toEqual([]);
    expect(sent).toEqual([]);
    expect(ignored).toEqual(["hung_up_in_backlog", "unknown_call"]);
  });
});
