// [ours] m.call.connect_to_focus: asks the receiving focus to link to another focus for one
// conference (cascading). The MSC leaves the shape open.
import { z } from "zod";
import { FocusIdSchema } from "../matrix/focus.ts";

export const ConnectToFocusContentSchema = z.object({
  /** The conference to link for (as in call events: legacy m.call state key, or ""). */
  conf_id: z.string(),
  /** The conference's room, when the conference is keyed by room (per-device shape). */
  room_id: z.string().optional(),
  /** The focus to connect to. */
  focus: FocusIdSchema,
});
export type ConnectToFocusContent = z.output<typeof ConnectToFocusContentSchema>;
