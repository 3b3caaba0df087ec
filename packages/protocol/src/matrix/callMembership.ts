// Both membership shapes normalised to one `CallMembership` per device, and their writers.
import { ProtocolDefaults } from "../defaults.ts";
import { ContentKeys, type NameVariant, spell, Values } from "../names.ts";
import { fail, ok, type ParseResult, parseWith } from "../ProtocolError.ts";
import { isRecord, kindOfValue } from "../util.ts";
import {
  type LegacyMemberContent,
  LegacyMemberContentSchema,
  type LegacyMemberDevice,
  type PerDeviceMemberContent,
  PerDeviceMemberContentSchema,
} from "./callMember.ts";
import {
  type Focus,
  type FocusRef,
  focusIdFromRef,
  focusRefFromFocus,
  focusRefFromId,
  msc3898Focus,
  sameFocus,
} from "./focus.ts";

/** One device's membership in one conference, whichever shape it was written in. */
export interface CallMembership {
  userId: string;
  deviceId: string;
  /** Legacy shape only. */
  sessionId?: string;
  /** Legacy `m.call_id` (the `m.call` state key) or per-device `call_id` (often ""). */
  confId: string;
  shape: "legacy" | "perDevice";
  /** Per-device `application` (e.g. "m.call"); absent in the legacy shape. */
  application?: string;
  /** When the membership expires, ms since the epoch. */
  expiresAt: number;
  /** MSC3898 foci the device uses (legacy `m.foci.active`, or an MSC3898 `focus_active`). */
  fociActive: FocusRef[];
  /** MSC3898 foci the device prefers (legacy `m.foci.preferred`, per-device `foci_preferred`). */
  fociPreferred: FocusRef[];
  /** Per-device `focus_active.focus_selection` ("multi_sfu", "oldest_membership"). */
  focusSelection?: string;
  /** The legacy device entry, or the whole per-device content. */
  raw: Record<string, unknown>;
}

function dedupe(refs: FocusRef[]): FocusRef[] {
  return refs.filter((ref, i) => refs.findIndex((other) => sameFocus(ref, other)) === i);
}

function legacyFoci(
  device: LegacyMemberDevice,
  key: typeof ContentKeys.fociActive | typeof ContentKeys.fociPreferred,
): FocusRef[] {
  const stable = device[key.stable] ?? [];
  const unstable = device[key.unstable] ?? [];
  return dedupe([...stable, ...unstable].map(focusRefFromId));
}

function fromLegacy(content: LegacyMemberContent, userId: string): CallMembership[] {
  return content[ContentKeys.calls.stable].flatMap((call) =>
    call[ContentKeys.devices.stable].map((device) => ({
      userId,
      deviceId: device.device_id,
      sessionId: device.session_id,
      confId: call[ContentKeys.callId.stable],
      shape: "legacy" as const,
      expiresAt: device.expires_ts,
      fociActive: legacyFoci(device, ContentKeys.fociActive),
      fociPreferred: legacyFoci(device, ContentKeys.fociPreferred),
      raw: device,
    })),
  );
}

function fromPerDevice(
  content: PerDeviceMemberContent,
  userId: string,
  originServerTs: number,
): CallMembership {
  const active = focusRefFromFocus(content.focus_active);
  const preferred = (content.foci_preferred ?? []).map(focusRefFromFocus);
  const membership: CallMembership = {
    userId,
    deviceId: content.device_id,
    confId: content.call_id,
    shape: "perDevice",
    application: content.application,
    expiresAt:
      (content.created_ts ?? originServerTs) +
      (content.expires ?? ProtocolDefaults.membershipExpiresMs),
    fociActive: active ? [active] : [],
    fociPreferred: dedupe(preferred.filter((ref) => ref !== undefined)),
    raw: content,
  };
  if (content.focus_active?.focus_selection !== undefined) {
    membership.focusSelection = content.focus_active.focus_selection;
  }
  return membership;
}

/**
 * Reads an `m.call.member` state event (either shape) as one membership per device.
 * Empty content (`{}`, or `{"m.calls": []}`) means nobody: `[]`. The state key must belong to
 * the sender: the user id itself (legacy) or `_<sender>_...` (per-device).
 */
export function parseCallMemberContent(
  stateKey: string,
  content: unknown,
  sender: string,
  originServerTs: number,
): ParseResult<CallMembership[]> {
  if (!isRecord(content)) {
    return fail([
      { path: "content", message: `expected object, received ${kindOfValue(content)}` },
    ]);
  }
  if (Object.keys(content).length === 0) return ok([]);
  if (ContentKeys.calls.stable in content) {
    if (stateKey !== sender) {
      return fail([{ path: "state_key", message: `expected the sender ${sender}` }]);
    }
    const parsed = parseWith(LegacyMemberContentSchema, content, "content");
    return parsed.ok ? ok(fromLegacy(parsed.value, sender)) : parsed;
  }
  if (!stateKey.startsWith(`_${sender}_`)) {
    return fail([{ path: "state_key", message: `expected to start with _${sender}_` }]);
  }
  const parsed = parseWith(PerDeviceMemberContentSchema, content, "content");
  return parsed.ok ? ok([fromPerDevice(parsed.value, sender, originServerTs)]) : parsed;
}

/** True while the membership has not expired. */
export function isMembershipCurrent(m: CallMembership, nowMs: number): boolean {
  return m.expiresAt > nowMs;
}

/** True when the membership names the focus as active or preferred. */
export function membershipNamesFocus(m: CallMembership, focus: FocusRef): boolean {
  return [...m.fociActive, ...m.fociPreferred].some((ref) => sameFocus(ref, focus));
}

/** State key of a MatrixRTC per-device membership: `_@user:server_DEVICE_m.call`. */
export function perDeviceMemberStateKey(userId: string, deviceId: string): string {
  return `_${userId}_${deviceId}${Values.memberStateKeySuffix}`;
}

export interface LegacyMemberDeviceInput {
  deviceId: string;
  sessionId: string;
  /** ms since the epoch. */
  expiresTs: number;
  feeds?: { purpose: string }[];
  fociActive?: FocusRef[];
  fociPreferred?: FocusRef[];
}

export interface LegacyMemberCallInput {
  confId: string;
  devices: LegacyMemberDeviceInput[];
}

/**
 * Legacy MSC3401 content for one user. The foci keys are spelled by `variant`; the deployed
 * client reads the unstable `org.matrix.msc3898.foci.*`, so that is the default.
 */
export function buildLegacyMemberContent(
  calls: LegacyMemberCallInput[],
  variant: NameVariant = "unstable",
): LegacyMemberContent {
  return {
    [ContentKeys.calls.stable]: calls.map((call) => ({
      [ContentKeys.callId.stable]: call.confId,
      [ContentKeys.devices.stable]: call.devices.map((d) => {
        const device: Record<string, unknown> = {
          device_id: d.deviceId,
          session_id: d.sessionId,
          expires_ts: d.expiresTs,
        };
        if (d.feeds !== undefined) device.feeds = d.feeds;
        if (d.fociActive !== undefined) {
          device[spell(ContentKeys.fociActive, variant)] = d.fociActive.map(focusIdFromRef);
        }
        if (d.fociPreferred !== undefined) {
          device[spell(ContentKeys.fociPreferred, variant)] = d.fociPreferred.map(focusIdFromRef);
        }
        return device as LegacyMemberDevice;
      }),
    })),
  };
}

export interface PerDeviceMemberInput {
  deviceId: string;
  /** The conference; default "" (the room's call). */
  confId?: string;
  /** Default "m.call". */
  application?: string;
  /** Default "m.room". */
  scope?: string;
  /** Lifetime in ms; default 4 hours. */
  expiresMs?: number;
  createdTs?: number;
  /** Default `{type: "org.matrix.msc3898", focus_selection: "multi_sfu"}`. */
  focusActive?: Focus & { focus_selection?: string };
  /** Preferred foci: MSC3898 foci by user/device, or any focus objects. */
  fociPreferred?: (FocusRef | Focus)[];
}

/**
 * MatrixRTC per-device content (send it with state key `perDeviceMemberStateKey`). Its keys
 * have one spelling only; `variant` is accepted so all writers are called alike.
 */
export function buildPerDeviceMemberContent(
  input: PerDeviceMemberInput,
  _variant: NameVariant = "unstable",
): PerDeviceMemberContent {
  const content: PerDeviceMemberContent = {
    application: input.application ?? Values.applicationCall,
    call_id: input.confId ?? "",
    scope: input.scope ?? Values.scopeRoom,
    device_id: input.deviceId,
    expires: input.expiresMs ?? ProtocolDefaults.membershipExpiresMs,
    focus_active: input.focusActive ?? {
      type: Values.focusTypeMsc3898,
      focus_selection: Values.focusSelectionMultiSfu,
    },
    foci_preferred: (input.fociPreferred ?? []).map((f) => ("type" in f ? f : msc3898Focus(f))),
  };
  if (input.createdTs !== undefined) content.created_ts = input.createdTs;
  return content;
}
