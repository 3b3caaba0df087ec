// Focus objects: how memberships name the foci they use or prefer.
import { z } from "zod";
import { Values } from "../names.ts";

/** Any focus object (MatrixRTC): a string `type`, other fields passed through. */
export const FocusSchema = z.looseObject({ type: z.string() });
export type Focus = z.output<typeof FocusSchema>;

/** [ours] A focus object naming an MSC3898 focus by its Matrix user and device. */
export const Msc3898FocusSchema = z.looseObject({
  type: z.literal(Values.focusTypeMsc3898),
  user_id: z.string(),
  device_id: z.string(),
});
export type Msc3898Focus = z.output<typeof Msc3898FocusSchema>;

/** A focus on the wire as a `{user_id, device_id}` pair (legacy foci lists, cascading). */
export const FocusIdSchema = z.looseObject({ user_id: z.string(), device_id: z.string() });
export type FocusId = z.output<typeof FocusIdSchema>;

/** A focus as the project passes it around: one Matrix user + device. */
export interface FocusRef {
  userId: string;
  deviceId: string;
}

export function focusRefFromId(id: { user_id: string; device_id: string }): FocusRef {
  return { userId: id.user_id, deviceId: id.device_id };
}

export function focusIdFromRef(ref: FocusRef): { user_id: string; device_id: string } {
  return { user_id: ref.userId, device_id: ref.deviceId };
}

/** The MatrixRTC focus object for an MSC3898 focus. */
export function msc3898Focus(ref: FocusRef): Msc3898Focus {
  return { type: Values.focusTypeMsc3898, user_id: ref.userId, device_id: ref.deviceId };
}

/** The focus a MatrixRTC focus object names, when it is an MSC3898 focus; otherwise undefined. */
export function focusRefFromFocus(focus: unknown): FocusRef | undefined {
  const parsed = Msc3898FocusSchema.safeParse(focus);
  return parsed.success ? focusRefFromId(parsed.data) : undefined;
}

export function sameFocus(a: FocusRef, b: FocusRef): boolean {
  return a.userId === b.userId && a.deviceId === b.deviceId;
}
