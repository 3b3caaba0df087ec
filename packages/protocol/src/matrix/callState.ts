// The room's `m.call` state event (MSC3401): one per conference, state key = conf_id.
import { z } from "zod";
import { ContentKeys, Values } from "../names.ts";
import type { ParseResult } from "../ProtocolError.ts";
import { parseWith } from "../ProtocolError.ts";

/** `{"m.intent": "m.room", "m.type": "m.video"}`; other fields are passed through. */
export const CallStateContentSchema = z.looseObject({
  [ContentKeys.intent.stable]: z.string().optional(),
  [ContentKeys.type.stable]: z.string().optional(),
});
export type CallStateContent = z.output<typeof CallStateContentSchema>;

export function parseCallStateContent(content: unknown): ParseResult<CallStateContent> {
  return parseWith(CallStateContentSchema, content, "content");
}

/** Content of a new room call: intent "m.room", type "m.video" unless told otherwise. */
export function buildCallStateContent(
  options: { intent?: string; type?: string } = {},
): CallStateContent {
  return {
    [ContentKeys.intent.stable]: options.intent ?? Values.intentRoom,
    [ContentKeys.type.stable]: options.type ?? Values.typeVideo,
  };
}
