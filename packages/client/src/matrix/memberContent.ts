// Membership content this device writes, in both shapes, built with the protocol's writers, and
// reading everyone's memberships back into what the focus selector needs. Pure.

import {
  buildLegacyMemberContent,
  buildPerDeviceMemberContent,
  type CallMembership,
  isMembershipCurrent,
  msc3898Focus,
  type NameVariant,
  type FocusRef as ProtocolFocusRef,
  parseCallMemberContent,
  Values,
} from "@matrix-focus/protocol";
import type { MemberFoci } from "../focus/FocusSelector.ts";
import type { FocusRef } from "../types.ts";

export const toProtocolRef = (f: FocusRef): ProtocolFocusRef => ({
  userId: f.user_id,
  deviceId: f.device_id,
});
export const fromProtocolRef = (f: ProtocolFocusRef): FocusRef =>
  msc3898Focus(f) as unknown as FocusRef;

export interface OwnLegacyMembership {
  userId: string;
  deviceId: string;
  sessionId: string;
  confId: string;
  expiresTs: number;
  active: FocusRef[];
  preferred: FocusRef[];
}

/**
 * The legacy `m.call.member` content for our user: our device's entry for `confId` replaced
 * (or removed when `own` is undefined), the user's other current devices kept.
 */
export function legacyContent(
  existing: unknown,
  userId: string,
  deviceId: string,
  confId: string,
  own: OwnLegacyMembership | undefined,
  now: number,
  variant: NameVariant,
): Record<string, unknown> {
  const parsed = parseCallMemberContent(userId, existing ?? {}, userId, now);
  const kept = (parsed.ok ? parsed.value : []).filter(
    (m) =>
      m.shape === "legacy" &&
      isMembershipCurrent(m, now) &&
      !(m.deviceId === deviceId && m.confId === confId),
  );
  const calls = new Map<string, Parameters<typeof buildLegacyMemberContent>[0][number]>();
  const add = (
    cid: string,
    d: Parameters<typeof buildLegacyMemberContent>[0][number]["devices"][number],
  ) => {
    const call = calls.get(cid) ?? { confId: cid, devices: [] };
    call.devices.push(d);
    calls.set(cid, call);
  };
  for (const m of kept) {
    const feeds = Array.isArray(m.raw.feeds) ? (m.raw.feeds as { purpose: string }[]) : undefined;
    add(m.confId, {
      deviceId: m.deviceId,
      sessionId: m.sessionId ?? "",
      expiresTs: m.expiresAt,
      ...(feeds !== undefined ? { feeds } : {}),
      fociActive: m.fociActive,
      fociPreferred: m.fociPreferred,
    });
  }
  if (own !== undefined) {
    add(confId, {
      deviceId: own.deviceId,
      sessionId: own.sessionId,
      expiresTs: own.expiresTs,
      feeds: [{ purpose: Values.purposeUsermedia }],
      fociActive: own.active.map(toProtocolRef),
      fociPreferred: own.preferred.map(toProtocolRef),
    });
  }
  return buildLegacyMemberContent([...calls.values()], variant) as Record<string, unknown>;
}

export interface OwnPerDeviceMembership {
  deviceId: string;
  createdTs: number;
  /** `expires` counts from createdTs. */
  expiresMs: number;
  focusSelection: string;
  /** The focus called first, then the other preferred ones. */
  preferred: FocusRef[];
}

/** MatrixRTC per-device content naming our focus type in foci_preferred. */
export function perDeviceContent(own: OwnPerDeviceMembership): Record<string, unknown> {
  return buildPerDeviceMemberContent({
    deviceId: own.deviceId,
    confId: "",
    createdTs: own.createdTs,
    expiresMs: own.expiresMs,
    focusActive: { type: Values.focusTypeMsc3898, focus_selection: own.focusSelection },
    fociPreferred: own.preferred,
  }) as Record<string, unknown>;
}

/** A state event as read from the room. */
export interface MemberStateEvent {
  stateKey: string;
  sender: string;
  content: unknown;
  originServerTs: number;
}

/** Current memberships in the conference from member state events of either shape. */
export function readMemberships(
  events: MemberStateEvent[],
  confIds: { legacy: string | undefined; perDevice: string },
  now: number,
): CallMembership[] {
  const out: CallMembership[] = [];
  for (const e of events) {
    const parsed = parseCallMemberContent(e.stateKey, e.content, e.sender, e.originServerTs);
    if (!parsed.ok) continue;
    for (const m of parsed.value) {
      if (!isMembershipCurrent(m, now)) continue;
      const conf = m.shape === "legacy" ? confIds.legacy : confIds.perDevice;
      if (m.confId !== conf) continue;
      if (m.application !== undefined && m.application !== Values.applicationCall) continue;
      out.push(m);
    }
  }
  return out;
}

/**
 * What the selector needs from each membership. A per-device member's active focus is derived:
 * with multi_sfu its first preferred focus; with oldest_membership the oldest per-device
 * member's first preferred focus.
 */
export function toMemberFoci(memberships: CallMembership[]): MemberFoci[] {
  const createdTs = (m: CallMembership): number =>
    typeof m.raw.created_ts === "number" ? m.raw.created_ts : m.expiresAt;
  const perDevice = memberships
    .filter((m) => m.shape === "perDevice" && m.fociPreferred.length > 0)
    .sort((a, b) => createdTs(a) - createdTs(b));
  const oldestFocus = perDevice[0]?.fociPreferred[0];
  return memberships.map((m) => {
    let active = m.fociActive;
    if (m.shape === "perDevice") {
      const first = m.fociPreferred[0];
      if (m.focusSelection === Values.focusSelectionOldestMembership) {
        active = oldestFocus !== undefined ? [oldestFocus] : [];
      } else active = first !== undefined ? [first] : [];
    }
    return {
      userId: m.userId,
      deviceId: m.deviceId,
      createdTs: createdTs(m),
      active: active.map(fromProtocolRef),
      preferred: m.fociPreferred.map(fromProtocolRef),
    };
  });
}
