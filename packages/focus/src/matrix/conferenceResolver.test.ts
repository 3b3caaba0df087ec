import { describe, expect, it } from "vitest";
import { type ResolverRooms, resolveConference } from "./conferenceResolver.ts";

function rooms(o: {
  joined?: string[];
  calls?: Record<string, string[]>;
  memberships?: Record<string, string[]>;
}): ResolverRooms {
  return {
    hasRoom: (id) => (o.joined ?? []).includes(id),
    roomsWithCall: (conf) => o.calls?.[conf] ?? [],
    roomsWithMembership: (user, conf) => o.memberships?.[`${user}|${conf}`] ?? [],
  };
}

describe("resolveConference", () => {
  it("keys a per-device call by the room_id it carries and its conf_id", () => {
    const r = resolveConference(
      { conf_id: "", room_id: "!r:hs" },
      "@a:hs",
      rooms({ joined: ["!r:hs"] }),
    );
    expect(r).toEqual({ ok: true, conference: { roomId: "!r:hs", confId: "" } });
  });

  it("refuses a room_id of a room the focus is not in", () => {
    const r = resolveConference(
      { conf_id: "", room_id: "!x:hs" },
      "@a:hs",
      rooms({ joined: ["!r:hs"] }),
    );
    expect(r.ok).toBe(false);
  });

  it("finds the room of a legacy call by the m.call state key", () => {
    const r = resolveConference({ conf_id: "c1" }, "@a:hs", rooms({ calls: { c1: ["!r:hs"] } }));
    expect(r).toEqual({ ok: true, conference: { roomId: "!r:hs", confId: "c1" } });
  });

  it("prefers the room where the sender has a membership when two rooms share a conf_id", () => {
    const r = resolveConference(
      { conf_id: "c1" },
      "@a:hs",
      rooms({ calls: { c1: ["!one:hs", "!two:hs"] }, memberships: { "@a:hs|c1": ["!two:hs"] } }),
    );
    expect(r).toEqual({ ok: true, conference: { roomId: "!two:hs", confId: "c1" } });
  });

  it("says why when no room holds the conf_id", () => {
    const r = resolveConference({ conf_id: "nope" }, "@a:hs", rooms({ calls: { c1: ["!r:hs"] } }));
    expect(r).toEqual({ ok: false, detail: "no room of the focus has a call with this conf_id" });
  });
});
