// Schemas of `m.call.member` state content in both shapes:
// - legacy MSC3401: one event per user (state key = user id) listing calls and devices;
// - MatrixRTC per-device: one event per device (state key `_@user:server_DEVICE_m.call`).
import { z } from "zod";
import { ContentKeys } from "../names.ts";
import { FocusIdSchema, FocusSchema } from "./focus.ts";

const fociList = z.array(FocusIdSchema).optional();

/** One device in a legacy membership; foci lists under either spelling. */
export const LegacyMemberDeviceSchema = z.looseObject({
  device_id: z.string(),
  session_id: z.string(),
  expires_ts: z.number(),
  feeds: z.array(z.looseObject({ purpose: z.string() })).optional(),
  [ContentKeys.fociActive.stable]: fociList,
  [ContentKeys.fociActive.unstable]: fociList,
  [ContentKeys.fociPreferred.stable]: fociList,
  [ContentKeys.fociPreferred.unstable]: fociList,
});
export type LegacyMemberDevice = z.output<typeof LegacyMemberDeviceSchema>;

export const LegacyMemberCallSchema = z.looseObject({
  [ContentKeys.callId.stable]: z.string(),
  [ContentKeys.devices.stable]: z.array(LegacyMemberDeviceSchema),
});
export type LegacyMemberCall = z.output<typeof LegacyMemberCallSchema>;

export const LegacyMemberContentSchema = z.looseObject({
  [ContentKeys.calls.stable]: z.array(LegacyMemberCallSchema),
});
export type LegacyMemberContent = z.output<typeof LegacyMemberContentSchema>;

/** `focus_active`: which focus type is used and how a focus is selected. */
export const ActiveFocusSchema = FocusSchema.extend({ focus_selection: z.string().optional() });
export type ActiveFocus = z.output<typeof ActiveFocusSchema>;

/** A MatrixRTC per-device membership; `{}` (no keys) means the device left. */
export const PerDeviceMemberContentSchema = z.looseObject({
  application: z.string(),
  /** The conference; "" = the room's call. */
  call_id: z.string(),
  scope: z.string().optional(),
  device_id: z.string(),
  /** Lifetime in ms from `created_ts` (or the event's origin_server_ts). */
  expires: z.number().nonnegative().optional(),
  created_ts: z.number().nonnegative().optional(),
  focus_active: ActiveFocusSchema.optional(),
  foci_preferred: z.array(FocusSchema).optional(),
});
export type PerDeviceMemberContent = z.output<typeof PerDeviceMemberContentSchema>;
