import { describe, expect, it } from "vitest";
import { canTransition } from "./callState.ts";

describe("call state transitions", () => {
  it("allows the normal path connecting -> connected -> reconnecting -> connected -> ended", () => {
    expect(canTransition("connecting", "connected")).toBe(true);
    expect(canTransition("connected", "reconnecting")).toBe(true);
    expect(canTransition("reconnecting", "connected")).toBe(true);
    expect(canTransition("connected", "ended")).toBe(true);
  });

  it("never leaves the ended state and leaves failed only by ending", () => {
    for (const to of ["connecting", "connected", "reconnecting", "failed"] as const) {
      expect(canTransition("ended", to)).toBe(false);
    }
    expect(canTransition("failed", "connected")).toBe(false);
    expect(canTransition("failed", "ended")).toBe(true);
  });

  it("does not go back to connecting", () => {
    expect(canTransition("reconnecting", "connecting")).toBe(false);
    expect(canTransition("connected", "connecting")).toBe(false);
  });
});
