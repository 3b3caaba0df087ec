import { describe, expect, it } from "vitest";
import { inviteExpiry, invitesHungUpLater } from "./staleFilter.ts";

describe("inviteExpiry", () => {
  it("accepts an invite within its lifetime and the maximum age", () => {
    expect(inviteExpiry({ created_ts: 1000, lifetime: 30_000 }, 20_000, 60_000)).toBeUndefined();
  });

  it("refuses an invite older than its lifetime", () => {
    expect(inviteExpiry({ created_ts: 1000, lifetime: 30_000 }, 31_001, 60_000)).toMatch(
      /lifetime/,
    );
  });

  it("refuses an invite older than the configured maximum age", () => {
    expect(inviteExpiry({ created_ts: 0, lifetime: 600_000 }, 60_001, 60_000)).toMatch(
      /maximum age/,
    );
  });

  it("cannot judge an invite without created_ts", () => {
    expect(inviteExpiry({ lifetime: 1 }, 10_000_000, 60_000)).toBeUndefined();
  });
});

describe("invitesHungUpLater", () => {
  it("skips an invite that a later hangup of the same call and sender ends", () => {
    const skipped = invitesHungUpLater([
      { kind: "invite", sender: "@a:hs", callId: "c1" },
      { kind: "candidates", sender: "@a:hs", callId: "c1" },
      { kind: "hangup", sender: "@a:hs", callId: "c1" },
      { kind: "invite", sender: "@a:hs", callId: "c2" },
    ]);
    expect([...skipped]).toEqual([0]);
  });

  it("keeps an invite sent again after its hangup", () => {
    const skipped = invitesHungUpLater([
      { kind: "hangup", sender: "@a:hs", callId: "c1" },
      { kind: "invite", sender: "@a:hs", callId: "c1" },
    ]);
    expect(skipped.size).toBe(0);
  });

  it("ignores a hangup from another sender for the same call_id", () => {
    const skipped = invitesHungUpLater([
      { kind: "invite", sender: "@a:hs", callId: "c1" },
      { kind: "hangup", sender: "@mallory:hs", callId: "c1" },
    ]);
    expect(skipped.size).toBe(0);
  });
});
