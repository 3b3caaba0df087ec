// m.call.ping (focus -> device) and m.call.pong (the reply): empty contents.
import { z } from "zod";

export const PingContentSchema = z.object({});
export type PingContent = z.output<typeof PingContentSchema>;

export const PongContentSchema = z.object({});
export type PongContent = z.output<typeof PongContentSchema>;
