import type { CallMembership, FocusRef } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { authoriseLink } from "./authoriseLink.ts";

const me: FocusRef = { userId: "@focus-a:hs", deviceId: "A" };
const other: FocusRef = { userId: "@focus-b:other", deviceId: "B" };

function member(userId: string, focus: FocusRef, confId = "", expiresAt = 1e12): CallMembership {
  return {
    userId,
    deviceId: "D",
    confId,
    shape: "perDevice",
    expiresAt,
    fociActive: [],
    fociPreferred: [focus],
    focusSelection: "multi_sfu",
    raw: {},
  };
}

const facts = (memberships: CallMembership[], joined = ["@ann:hs", "@bob:hs"]) => ({
  sender: other,
  confId: "",
  room: { joinedMembers: new Set(joined), memberships },
  focus: me,
  allowedHomeservers: [] as string[],
  isCurrent: (m: CallMembership) => m.expiresAt > 1000,
});

describe("authoriseLink", () => {
  it("accepts a focus when current members use it and this focus in the conference", () => {
    expect(authoriseLink(facts([member("@ann:hs", me), member("@bob:hs", other)]))).toEqual({
      allowed: true,
    });
  });

  it("refuses a focus no member uses", () => {
    const d = authoriseLink(facts([member("@ann:hs", me), member("@bob:hs", me)]));
    expect(d).toMatchObject({ allowed: false, reason: "focus_not_named" });
  });

  it("refuses when nobody uses this focus", () => {
    const d = authoriseLink(facts([member("@bob:hs", other)]));
    expect(d).toMatchObject({ allowed: false, reason: "focus_not_named" });
  });

  it("ignores expired memberships, other conferences and members who left the room", () => {
    const expired = [member("@ann:hs", me), member("@bob:hs", other, "", 10)];
    expect(authoriseLink(facts(expired))).toMatchObject({ allowed: false });
    const otherConf = [member("@ann:hs", me), member("@bob:hs", other, "conf2")];
    expect(authoriseLink(facts(otherConf))).toMatchObject({ allowed: false });
    const left = [member("@ann:hs", me), member("@bob:hs", other)];
    expect(authoriseLink(facts(left, ["@ann:hs"]))).toMatchObject({ allowed: false });
  });

  it("refuses an unknown room and a focus of a homeserver that is not allowed", () => {
    expect(authoriseLink({ ...facts([]), room: undefined })).toMatchObject({
      reason: "unknown_conference",
    });
    const ok = [member("@ann:hs", me), member("@bob:hs", other)];
    expect(authoriseLink({ ...facts(ok), allowedHomeservers: ["hs"] })).toMatchObject({
      reason: "not_a_member",
    });
  });
});
