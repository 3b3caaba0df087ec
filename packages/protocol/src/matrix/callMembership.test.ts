import { describe, expect, it } from "vitest";
import { ProtocolDefaults } from "../defaults.ts";
import { ContentKeys, Values } from "../names.ts";
import { loadEventFixture } from "../testing/fixtures.ts";
import {
  buildLegacyMemberContent,
  buildPerDeviceMemberContent,
  type CallMembership,
  isMembershipCurrent,
  membershipNamesFocus,
  parseCallMemberContent,
  perDeviceMemberStateKey,
} from "./callMembership.ts";

const focus = { userId: "@focus:localhost", deviceId: "FOCUSDEV" };
const otherFocus = { userId: "@focus2:other", deviceId: "F2" };

function fromFixture(file: string) {
  const f = loadEventFixture(file);
  return parseCallMemberContent(f.state_key ?? "", f.content, f.sender, f.origin_server_ts ?? 0);
}

function memberships(file: string): CallMembership[] {
  const result = fromFixture(file);
  if (!result.ok) throw new Error(`${file}: ${result.error.message}`);
  return result.value;
}

describe("parseCallMemberContent, legacy shape", () => {
  it("reads a device with unstable foci keys", () => {
    const [m, ...rest] = memberships("member-legacy-unstable.json");
    expect(rest).toEqual([]);
    expect(m).toMatchObject({
      userId: "@alice:localhost",
      deviceId: "ALICEDEV",
      sessionId: "aliceSession0001",
      confId: "conf1",
      shape: "legacy",
      expiresAt: 1732543600000,
      fociActive: [focus],
      fociPreferred: [focus, otherFocus],
    });
    expect(m?.raw.device_id).toBe("ALICEDEV");
  });

  it("reads every device, with stable foci keys", () => {
    const all = memberships("member-legacy-stable.json");
    expect(all.map((m) => [m.deviceId, m.fociActive, m.fociPreferred])).toEqual([
      ["ALICEDEV", [focus], [focus]],
      ["ALICEPHONE", [], []],
    ]);
  });

  it("merges both spellings of a foci list without duplicates", () => {
    const content = buildLegacyMemberContent([
      {
        confId: "c",
        devices: [{ deviceId: "D", sessionId: "S", expiresTs: 10, fociActive: [focus] }],
      },
    ]);
    const device = content[ContentKeys.calls.stable][0]?.[ContentKeys.devices.stable][0];
    if (device === undefined) throw new Error("no device written");
    device[ContentKeys.fociActive.stable] = [
      { user_id: focus.userId, device_id: focus.deviceId },
      { user_id: otherFocus.userId, device_id: otherFocus.deviceId },
    ];
    const result = parseCallMemberContent("@a:hs", content, "@a:hs", 0);
    expect(result.ok && result.value[0]?.fociActive).toEqual([focus, otherFocus]);
  });

  it("reads an empty calls list as no memberships", () => {
    expect(memberships("member-legacy-left.json")).toEqual([]);
  });

  it("rejects a device without session_id, with a text expiry and a focus without device_id", () => {
    const result = fromFixture("invalid-member-legacy.json");
    const device = `content[${JSON.stringify(ContentKeys.calls.stable)}][0][${JSON.stringify(ContentKeys.devices.stable)}][0]`;
    expect(result.ok ? [] : result.error.issues).toEqual([
      { path: `${device}.session_id`, message: "expected string, missing" },
      { path: `${device}.expires_ts`, message: "expected number, received string" },
      {
        path: `${device}[${JSON.stringify(ContentKeys.fociActive.unstable)}][0].device_id`,
        message: "expected string, missing",
      },
    ]);
  });

  it("rejects a legacy membership whose state key is not the sender", () => {
    const f = loadEventFixture("member-legacy-unstable.json");
    const result = parseCallMemberContent("@mallory:localhost", f.content, f.sender, 0);
    expect(result.ok ? [] : result.error.issues.map((i) => i.path)).toEqual(["state_key"]);
  });
});

describe("parseCallMemberContent, per-device shape", () => {
  it("reads the MSC3898 focus from foci_preferred and ignores other focus types", () => {
    const [m] = memberships("member-per-device.json");
    expect(m).toMatchObject({
      userId: "@bob:localhost",
      deviceId: "BOBDEV",
      confId: "",
      shape: "perDevice",
      application: Values.applicationCall,
      expiresAt: 1732540000000 + 14400000,
      fociActive: [],
      fociPreferred: [focus],
      focusSelection: Values.focusSelectionMultiSfu,
    });
    expect(m?.sessionId).toBeUndefined();
  });

  it("computes the expiry from origin_server_ts and the 4 hour default when both are absent", () => {
    const [m] = memberships("member-per-device-livekit.json");
    expect(m?.expiresAt).toBe(1732540000000 + ProtocolDefaults.membershipExpiresMs);
    expect(m?.fociPreferred).toEqual([]);
    expect(m?.focusSelection).toBe(Values.focusSelectionOldestMembership);
  });

  it("reads empty content as the device having left", () => {
    expect(memberships("member-per-device-left.json")).toEqual([]);
  });

  it("rejects a membership without call_id, with a numeric device_id and a focus without type", () => {
    const result = fromFixture("invalid-member-per-device.json");
    expect(result.ok ? [] : result.error.issues).toEqual([
      { path: "content.call_id", message: "expected string, missing" },
      { path: "content.device_id", message: "expected string, received number" },
      { path: "content.focus_active.type", message: "expected string, missing" },
    ]);
  });

  it("rejects a per-device membership under another user's state key", () => {
    const f = loadEventFixture("member-per-device.json");
    const result = parseCallMemberContent(f.state_key ?? "", f.content, "@mallory:localhost", 0);
    expect(result.ok ? [] : result.error.issues.map((i) => i.path)).toEqual(["state_key"]);
  });

  it("rejects content that is not an object", () => {
    const result = parseCallMemberContent("@a:hs", null, "@a:hs", 0);
    expect(result.ok ? [] : result.error.issues).toEqual([
      { path: "content", message: "expected object, received null" },
    ]);
  });
});

describe("membership checks", () => {
  const [m] = memberships("member-legacy-unstable.json");
  if (m === undefined) throw new Error("fixture has no membership");

  it("is current until its expiry and not at or after it", () => {
    expect(isMembershipCurrent(m, m.expiresAt - 1)).toBe(true);
    expect(isMembershipCurrent(m, m.expiresAt)).toBe(false);
  });

  it("names a focus that is active or preferred and no other", () => {
    expect(membershipNamesFocus(m, focus)).toBe(true);
    expect(membershipNamesFocus(m, otherFocus)).toBe(true);
    expect(membershipNamesFocus(m, { userId: focus.userId, deviceId: "OTHER" })).toBe(false);
  });
});

describe("membership writers", () => {
  it("round-trips a legacy membership through its writer", () => {
    for (const variant of ["stable", "unstable"] as const) {
      const content = buildLegacyMemberContent(
        [
          {
            confId: "conf1",
            devices: [
              {
                deviceId: "D",
                sessionId: "S",
                expiresTs: 5000,
                feeds: [{ purpose: Values.purposeUsermedia }],
                fociActive: [focus],
                fociPreferred: [focus, otherFocus],
              },
            ],
          },
        ],
        variant,
      );
      const result = parseCallMemberContent(
        "@a:hs",
        JSON.parse(JSON.stringify(content)),
        "@a:hs",
        0,
      );
      expect(result.ok && result.value.map(({ raw: _raw, ...m }) => m)).toEqual([
        {
          userId: "@a:hs",
          deviceId: "D",
          sessionId: "S",
          confId: "conf1",
          shape: "legacy",
          expiresAt: 5000,
          fociActive: [focus],
          fociPreferred: [focus, otherFocus],
        },
      ]);
    }
  });

  it("spells the foci keys as the variant says, unstable by default", () => {
    const devices = [{ deviceId: "D", sessionId: "S", expiresTs: 1, fociActive: [focus] }];
    const keysOf = (c: ReturnType<typeof buildLegacyMemberContent>) =>
      Object.keys(c[ContentKeys.calls.stable][0]?.[ContentKeys.devices.stable][0] ?? {});
    expect(keysOf(buildLegacyMemberContent([{ confId: "c", devices }]))).toContain(
      ContentKeys.fociActive.unstable,
    );
    expect(keysOf(buildLegacyMemberContent([{ confId: "c", devices }], "stable"))).toContain(
      ContentKeys.fociActive.stable,
    );
  });

  it("round-trips a per-device membership through its writer and state key", () => {
    const stateKey = perDeviceMemberStateKey("@a:hs", "DEV");
    expect(stateKey).toBe(`_@a:hs_DEV${Values.memberStateKeySuffix}`);
    const content = buildPerDeviceMemberContent({
      deviceId: "DEV",
      createdTs: 1000,
      expiresMs: 60_000,
      fociPreferred: [focus, { type: Values.focusTypeLivekit, livekit_service_url: "x" }],
    });
    const result = parseCallMemberContent(stateKey, content, "@a:hs", 99);
    expect(result.ok && result.value).toEqual([
      {
        userId: "@a:hs",
        deviceId: "DEV",
        confId: "",
        shape: "perDevice",
        application: Values.applicationCall,
        expiresAt: 61_000,
        fociActive: [],
        fociPreferred: [focus],
        focusSelection: Values.focusSelectionMultiSfu,
        raw: content,
      },
    ]);
  });
});
