// [ours] Replies on the data channel: org.matrix.msc3898.ack for a request with a txn_id that
// succeeded, org.matrix.msc3898.error for any malformed or failed message.
import { z } from "zod";
import { DataChannelErrorCode } from "../names.ts";

export const AckContentSchema = z.object({ txn_id: z.string() });
export type AckContent = z.output<typeof AckContentSchema>;

export const DataChannelErrorCodeSchema = z.enum(Object.values(DataChannelErrorCode));

export const ErrorContentSchema = z.object({
  /** The txn_id of the failed request, when it had one. */
  txn_id: z.string().optional(),
  /** The type of the failed message, or null when it could not be read. */
  in_reply_to: z.string().nullable(),
  errcode: DataChannelErrorCodeSchema,
  /** Human-readable reason. */
  error: z.string(),
});
export type ErrorContent = z.output<typeof ErrorContentSchema>;
