// What a link must carry: for every track that entered through the link, the largest size
// anyone behind this focus wants; and the m.call.track_subscription that moves the link from
// what it was last asked for to that. Pure.
import type { TrackSubscriptionContent } from "@matrix-focus/protocol";

export interface WantedSize {
  width?: number;
  height?: number;
}

/** One local subscription to a track that came in through a link. */
export interface LocalWant {
  streamId: string;
  trackId: string;
  want: WantedSize;
}

/** A track key: stream id and track id. */
export function trackKey(streamId: string, trackId: string): string {
  return `${streamId}\u0000${trackId}`;
}

/**
 * The demand on one link: one entry per subscribed track, sized to the largest wish. A wish
 * without a size means "as large as there is" and wins over any size.
 */
export function aggregateDemand(
  wants: Iterable<LocalWant>,
): Map<string, { streamId: string; trackId: string; want: WantedSize }> {
  const out = new Map<string, { streamId: string; trackId: string; want: WantedSize }>();
  for (const w of wants) {
    const key = trackKey(w.streamId, w.trackId);
    const prev = out.get(key);
    if (!prev) {
      out.set(key, { streamId: w.streamId, trackId: w.trackId, want: { ...w.want } });
      continue;
    }
    prev.want = largest(prev.want, w.want);
  }
  return out;
}

function largest(a: WantedSize, b: WantedSize): WantedSize {
  if (a.width === undefined || b.width === undefined) return {};
  return {
    width: Math.max(a.width, b.width),
    ...(a.height !== undefined && b.height !== undefined
      ? { height: Math.max(a.height, b.height) }
      : {}),
  };
}

type Demand = ReadonlyMap<string, { streamId: string; trackId: string; want: WantedSize }>;

/** The subscription message that turns `sent` into `next`; undefined when nothing changed. */
export function demandChange(sent: Demand, next: Demand): TrackSubscriptionContent | undefined {
  const subscribe: NonNullable<TrackSubscriptionContent["subscribe"]> = [];
  const unsubscribe: NonNullable<TrackSubscriptionContent["unsubscribe"]> = [];
  for (const [key, d] of next) {
    const before = sent.get(key);
    if (before && before.want.width === d.want.width && before.want.height === d.want.height)
      continue;
    subscribe.push({ stream_id: d.streamId, track_id: d.trackId, ...d.want });
  }
  for (const [key, d] of sent) {
    if (!next.has(key)) unsubscribe.push({ stream_id: d.streamId, track_id: d.trackId });
  }
  if (subscribe.length === 0 && unsubscribe.length === 0) return undefined;
  return {
    ...(subscribe.length ? { subscribe } : {}),
    ...(unsubscribe.length ? { unsubscribe } : {}),
  };
}
