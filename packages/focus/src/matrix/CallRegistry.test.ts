import { describe, expect, it } from "vitest";
import { CallRegistry, type RegisteredCall } from "./CallRegistry.ts";

const call = (callId: string, userId: string, acceptedAt: number): RegisteredCall => ({
  callId,
  caller: { userId, deviceId: "D" },
  partyId: "D",
  callerSessionId: "s",
  roomIdInMessages: false,
  conference: { roomId: "!r:hs", confId: "c" },
  acceptedAt,
});

describe("CallRegistry", () => {
  it("keeps a call the conference layer does not know yet for the grace period, then forgets it", () => {
    const live = new Set<string>();
    const registry = new CallRegistry((id) => live.has(id), 1000);
    registry.add(call("c1", "@a:hs", 0));
    expect(registry.get("c1", 1000)?.callId).toBe("c1");
    expect(registry.get("c1", 1001)).toBeUndefined();
  });

  it("counts a user's live calls only", () => {
    const live = new Set(["c1", "c2"]);
    const registry = new CallRegistry((id) => live.has(id), 1000);
    registry.add(call("c1", "@a:hs", 0));
    registry.add(call("c2", "@a:hs", 0));
    registry.add(call("c3", "@b:hs", 0));
    expect(registry.countForUser("@a:hs", 5000)).toBe(2);
    live.delete("c2");
    expect(registry.countForUser("@a:hs", 5000)).toBe(1);
    expect(registry.countForUser("@b:hs", 5000)).toBe(0);
    expect(registry.size).toBe(1);
  });
});
