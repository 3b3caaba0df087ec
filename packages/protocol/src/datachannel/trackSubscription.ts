// m.call.track_subscription (device -> focus): which tracks to receive, and at what size.
import { z } from "zod";

export const TrackSubscribeItemSchema = z.object({
  stream_id: z.string(),
  track_id: z.string(),
  /** How wide the video is shown (px); the focus picks the simulcast layer that fits. */
  width: z.number().nonnegative().optional(),
  height: z.number().nonnegative().optional(),
});
export type TrackSubscribeItem = z.output<typeof TrackSubscribeItemSchema>;

export const TrackUnsubscribeItemSchema = z.object({
  stream_id: z.string(),
  track_id: z.string(),
});
export type TrackUnsubscribeItem = z.output<typeof TrackUnsubscribeItemSchema>;

export const TrackSubscriptionContentSchema = z.object({
  subscribe: z.array(TrackSubscribeItemSchema).optional(),
  unsubscribe: z.array(TrackUnsubscribeItemSchema).optional(),
});
export type TrackSubscriptionContent = z.output<typeof TrackSubscriptionContentSchema>;
