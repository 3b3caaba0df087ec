import { HangupReason } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import {
  type AuthDecision,
  authoriseCaller,
  type CallerFacts,
  type MembershipRules,
  serverNameOf,
} from "./authorise.ts";

interface TestMembership {
  userId: string;
  deviceId: string;
  confId: string;
  expiresAt: number;
  foci: { userId: string; deviceId: string }[];
}

const rules: MembershipRules<TestMembership> = {
  isCurrent: (m, now) => m.expiresAt > now,
  namesFocus: (m, f) => m.foci.some((x) => x.userId === f.userId && x.deviceId === f.deviceId),
};

const focus = { userId: "@focus:hs", deviceId: "FOCUS" };
const alice = { userId: "@alice:hs", deviceId: "ALICEDEV" };
const good: TestMembership = { ...alice, confId: "conf", expiresAt: 2000, foci: [focus] };

function facts(over: Partial<CallerFacts<TestMembership>> = {}): CallerFacts<TestMembership> {
  return {
    sender: alice,
    confId: "conf",
    room: { joinedMembers: new Set(["@alice:hs"]), memberships: [good] },
    focus,
    allowedHomeservers: [],
    now: 1000,
    ...over,
  };
}

const reasonOf = (d: AuthDecision<TestMembership>) => (d.allowed ? "allowed" : d.reason);

describe("authoriseCaller", () => {
  const table: [string, Partial<CallerFacts<TestMembership>>, string][] = [
    ["a joined member with a current membership naming the focus", {}, "allowed"],
    ["a conference no room resolves to", { room: undefined }, HangupReason.unknownConference],
    [
      "a user who is not joined to the room",
      { room: { joinedMembers: new Set(), memberships: [good] } },
      HangupReason.notAMember,
    ],
    ["a member whose membership has expired", { now: 2000 }, HangupReason.notAMember],
    [
      "another device of the same user",
      { sender: { userId: "@alice:hs", deviceId: "OTHER" } },
      HangupReason.notAMember,
    ],
    ["a membership for another conf_id", { confId: "other" }, HangupReason.notAMember],
    [
      "a membership that does not name this focus",
      {
        room: {
          joinedMembers: new Set(["@alice:hs"]),
          memberships: [{ ...good, foci: [{ userId: "@focus:hs", deviceId: "ELSE" }] }],
        },
      },
      HangupReason.focusNotNamed,
    ],
    [
      "a user of a homeserver outside the allow-list",
      { allowedHomeservers: ["other.org"] },
      HangupReason.notAMember,
    ],
    ["a user of an allowed homeserver", { allowedHomeservers: ["hs"] }, "allowed"],
  ];

  it.each(table)("decides on %s", (_name, over, expected) => {
    expect(reasonOf(authoriseCaller(facts(over), rules))).toBe(expected);
  });

  it("accepts when one of several memberships of the device names the focus", () => {
    const stale = { ...good, foci: [] };
    const d = authoriseCaller(
      facts({ room: { joinedMembers: new Set(["@alice:hs"]), memberships: [stale, good] } }),
      rules,
    );
    expect(d).toEqual({ allowed: true, membership: good });
  });

  it("gives a human reason with each refusal", () => {
    const d = authoriseCaller(facts({ room: undefined }), rules);
    expect(d.allowed ? "" : d.detail).toMatch(/conference/);
  });
});

describe("serverNameOf", () => {
  it("keeps a port in the server name", () => {
    expect(serverNameOf("@a:localhost:8008")).toBe("localhost:8008");
  });
});
