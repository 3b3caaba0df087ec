import { type CallMembership, type FocusRef, Values } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { compareFoci, dialsLink, fociInUse, linkAllowed, linkPeers } from "./linkPlan.ts";

const fa: FocusRef = { userId: "@focus-a:hs", deviceId: "A" };
const fb: FocusRef = { userId: "@focus-b:hs", deviceId: "B" };
const fc: FocusRef = { userId: "@focus-c:hs", deviceId: "C" };

function perDevice(
  deviceId: string,
  preferred: FocusRef[],
  selection: string = Values.focusSelectionMultiSfu,
  createdTs = 0,
): CallMembership {
  return {
    userId: `@${deviceId}:hs`,
    deviceId,
    confId: "",
    shape: "perDevice",
    expiresAt: 1e12,
    fociActive: [],
    fociPreferred: preferred,
    focusSelection: selection,
    raw: { created_ts: createdTs },
  };
}

function legacy(deviceId: string, active: FocusRef[], preferred: FocusRef[] = []): CallMembership {
  return {
    userId: `@${deviceId}:hs`,
    deviceId,
    confId: "conf",
    shape: "legacy",
    expiresAt: 1e12,
    fociActive: active,
    fociPreferred: preferred,
    raw: {},
  };
}

describe("fociInUse", () => {
  it("takes each multi_sfu member's first preferred focus, once each", () => {
    const used = fociInUse([
      perDevice("D1", [fa, fb]),
      perDevice("D2", [fb]),
      perDevice("D3", [fa]),
    ]);
    expect(used).toEqual([fa, fb]);
  });

  it("takes legacy members' active foci and ignores their preferred ones", () => {
    expect(fociInUse([legacy("D1", [fc], [fa]), legacy("D2", [])])).toEqual([fc]);
  });

  it("gives every oldest_membership member the oldest member's first preferred focus", () => {
    const sel = Values.focusSelectionOldestMembership;
    const used = fociInUse([perDevice("D1", [fb], sel, 20), perDevice("D2", [fc], sel, 10)]);
    expect(used).toEqual([fc]);
  });

  it("is empty without members", () => {
    expect(fociInUse([])).toEqual([]);
  });
});

describe("who links and who dials", () => {
  it("orders foci by user id, then device id", () => {
    expect(compareFoci(fa, fb)).toBeLessThan(0);
    expect(
      compareFoci({ userId: "@f:hs", deviceId: "B" }, { userId: "@f:hs", deviceId: "A" }),
    ).toBe(1);
    expect(compareFoci(fa, { ...fa })).toBe(0);
  });

  it("lets exactly one side of each pair dial", () => {
    for (const [x, y] of [
      [fa, fb],
      [fb, fc],
      [fa, fc],
    ] as const) {
      expect(dialsLink(x, y)).not.toBe(dialsLink(y, x));
    }
    expect(dialsLink(fa, fb)).toBe(true);
  });

  it("links a focus in use with every other focus in use (full mesh)", () => {
    expect(linkPeers(fb, [fc, fa, fb])).toEqual([fa, fc]);
  });

  it("links a focus nobody uses with nobody", () => {
    expect(linkPeers(fa, [fb, fc])).toEqual([]);
  });

  it("allows a link only between two distinct foci that are both in use", () => {
    expect(linkAllowed(fa, fb, [fa, fb])).toBe(true);
    expect(linkAllowed(fa, fc, [fa, fb])).toBe(false);
    expect(linkAllowed(fa, fa, [fa, fb])).toBe(false);
  });
});
