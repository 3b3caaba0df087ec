import {
  ContentKeys,
  parseCallMemberContent,
  perDeviceMemberStateKey,
  Values,
} from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import type { FocusRef } from "../types.ts";
import { legacyContent, perDeviceContent, readMemberships, toMemberFoci } from "./memberContent.ts";

const F1: FocusRef = { type: Values.focusTypeMsc3898, user_id: "@f1:hs", device_id: "F1" };
const F2: FocusRef = { type: Values.focusTypeMsc3898, user_id: "@f2:hs", device_id: "F2" };
const now = 1_000_000;

const own = (deviceId: string, expiresTs = now + 3_600_000) => ({
  userId: "@me:hs",
  deviceId,
  sessionId: `s-${deviceId}`,
  confId: "conf",
  expiresTs,
  active: [F1],
  preferred: [F1, F2],
});

describe("membership content", () => {
  it("writes a legacy membership the protocol reads back with our foci", () => {
    const content = legacyContent({}, "@me:hs", "DEV", "conf", own("DEV"), now, "unstable");
    const parsed = parseCallMemberContent("@me:hs", content, "@me:hs", now);
    if (!parsed.ok) throw parsed.error;
    expect(parsed.value).toHaveLength(1);
    expect(parsed.value[0]).toMatchObject({
      deviceId: "DEV",
      sessionId: "s-DEV",
      confId: "conf",
      shape: "legacy",
      fociActive: [{ userId: "@f1:hs", deviceId: "F1" }],
      fociPreferred: [
        { userId: "@f1:hs", deviceId: "F1" },
        { userId: "@f2:hs", deviceId: "F2" },
      ],
    });
    const calls = content[ContentKeys.calls.stable] as Record<string, object[]>[];
    const device = calls[0]?.[ContentKeys.devices.stable]?.[0] as Record<string, unknown>;
    expect(device[ContentKeys.fociActive.unstable]).toEqual([
      { user_id: "@f1:hs", device_id: "F1" },
    ]);
  });

  it("keeps the user's other current devices and drops expired ones in the legacy shape", () => {
    let content = legacyContent({}, "@me:hs", "PHONE", "conf", own("PHONE"), now, "unstable");
    content = legacyContent(
      content,
      "@me:hs",
      "OLD",
      "conf",
      own("OLD", now - 1),
      now - 10,
      "unstable",
    );
    content = legacyContent(content, "@me:hs", "DEV", "conf", own("DEV"), now, "unstable");
    const parsed = parseCallMemberContent("@me:hs", content, "@me:hs", now);
    if (!parsed.ok) throw parsed.error;
    expect(parsed.value.map((m) => m.deviceId).sort()).toEqual(["DEV", "PHONE"]);
  });

  it("removes only our device when leaving in the legacy shape", () => {
    let content = legacyContent({}, "@me:hs", "PHONE", "conf", own("PHONE"), now, "unstable");
    content = legacyContent(content, "@me:hs", "DEV", "conf", own("DEV"), now, "unstable");
    content = legacyContent(content, "@me:hs", "DEV", "conf", undefined, now, "unstable");
    const parsed = parseCallMemberContent("@me:hs", content, "@me:hs", now);
    if (!parsed.ok) throw parsed.error;
    expect(parsed.value.map((m) => m.deviceId)).toEqual(["PHONE"]);
  });

  it("writes a per-device membership naming the focus type in foci_preferred", () => {
    const content = perDeviceContent({
      deviceId: "DEV",
      createdTs: now,
      expiresMs: 14_400_000,
      focusSelection: Values.focusSelectionMultiSfu,
      preferred: [F2, F1],
    });
    expect(content).toMatchObject({
      application: Values.applicationCall,
      call_id: "",
      scope: Values.scopeRoom,
      device_id: "DEV",
      expires: 14_400_000,
      created_ts: now,
      focus_active: {
        type: Values.focusTypeMsc3898,
        focus_selection: Values.focusSelectionMultiSfu,
      },
      foci_preferred: [F2, F1],
    });
    const parsed = parseCallMemberContent(
      perDeviceMemberStateKey("@me:hs", "DEV"),
      content,
      "@me:hs",
      now,
    );
    if (!parsed.ok) throw parsed.error;
    expect(parsed.value[0]?.expiresAt).toBe(now + 14_400_000);
    expect(parsed.value[0]?.fociPreferred[0]).toEqual({ userId: "@f2:hs", deviceId: "F2" });
  });

  it("reads both shapes, ignoring expired, left and other-conference memberships", () => {
    const pd = (user: string, dev: string, content: object) => ({
      stateKey: perDeviceMemberStateKey(user, dev),
      sender: user,
      content,
      originServerTs: now,
    });
    const events = [
      pd(
        "@a:hs",
        "A",
        perDeviceContent({
          deviceId: "A",
          createdTs: now,
          expiresMs: 1000,
          focusSelection: Values.focusSelectionMultiSfu,
          preferred: [F1],
        }),
      ),
      pd(
        "@b:hs",
        "B",
        perDeviceContent({
          deviceId: "B",
          createdTs: now - 5000,
          expiresMs: 1000,
          focusSelection: Values.focusSelectionMultiSfu,
          preferred: [F1],
        }),
      ),
      pd("@c:hs", "C", {}),
      {
        stateKey: "@d:hs",
        sender: "@d:hs",
        content: legacyContent(
          {},
          "@d:hs",
          "D",
          "conf",
          { ...own("D"), userId: "@d:hs" },
          now,
          "stable",
        ),
        originServerTs: now,
      },
      {
        stateKey: "@e:hs",
        sender: "@e:hs",
        content: legacyContent(
          {},
          "@e:hs",
          "E",
          "other",
          { ...own("E"), userId: "@e:hs", confId: "other" },
          now,
          "stable",
        ),
        originServerTs: now,
      },
    ];
    const ms = readMemberships(events, { legacy: "conf", perDevice: "" }, now + 1);
    expect(ms.map((m) => m.deviceId)).toEqual(["A", "D"]);
  });

  it("derives a per-device member's active focus from its focus selection", () => {
    const pd = (
      user: string,
      dev: string,
      createdTs: number,
      sel: string,
      preferred: FocusRef[],
    ) => ({
      stateKey: perDeviceMemberStateKey(user, dev),
      sender: user,
      content: perDeviceContent({
        deviceId: dev,
        createdTs,
        expiresMs: 60_000,
        focusSelection: sel,
        preferred,
      }),
      originServerTs: createdTs,
    });
    const ms = readMemberships(
      [
        pd("@old:hs", "O", now - 100, Values.focusSelectionOldestMembership, [F2]),
        pd("@new:hs", "N", now, Values.focusSelectionOldestMembership, [F1]),
        pd("@sfu:hs", "S", now, Values.focusSelectionMultiSfu, [F1, F2]),
      ],
      { legacy: undefined, perDevice: "" },
      now,
    );
    const foci = toMemberFoci(ms);
    expect(foci.map((m) => [m.deviceId, m.active.map((f) => f.user_id)])).toEqual([
      ["O", ["@f2:hs"]],
      ["N", ["@f2:hs"]],
      ["S", ["@f1:hs"]],
    ]);
  });
});
