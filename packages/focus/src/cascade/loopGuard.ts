// The loop guard of the cascade: a focus announces and relays over a link only the tracks its
// own clients publish, never tracks that reached it over another link; and it takes from a
// link's announcement only tracks whose owner and origin focus are named (never its own).
// Pure.
import {
  type FocusRef,
  focusIdFromRef,
  type SdpStreamMetadata,
  sameFocus,
} from "@matrix-focus/protocol";

/** Where a track this focus holds came from. */
export interface HeldTrack {
  /** Set when the track came in over a link. */
  viaLink: boolean;
}

/** A focus relays a track to another focus only when it received it from a client. */
export function mayRelayOverLink(track: HeldTrack): boolean {
  return !track.viaLink;
}

/** Marks every stream of this focus's announcement to a link with the origin focus (`me`). */
export function withOrigin(meta: SdpStreamMetadata, me: FocusRef): SdpStreamMetadata {
  const out: SdpStreamMetadata = {};
  for (const [id, s] of Object.entries(meta)) out[id] = { ...s, focus: focusIdFromRef(me) };
  return out;
}

/** One track another focus offers over a link. */
export interface AnnouncedTrack {
  streamId: string;
  trackId: string;
  kind: "audio" | "video";
  owner: { userId: string; deviceId: string };
  origin: FocusRef;
}

/**
 * The tracks a link's announcement offers. Streams without an owner are skipped, and so are
 * streams that name this focus as their origin (they would be our own, coming back). A stream
 * without `focus` is taken to originate at the announcing focus.
 */
export function announcedTracks(
  meta: SdpStreamMetadata,
  me: FocusRef,
  announcer: FocusRef,
): AnnouncedTrack[] {
  const out: AnnouncedTrack[] = [];
  for (const [streamId, s] of Object.entries(meta)) {
    if (s.user_id === undefined || s.device_id === undefined) continue;
    const origin = s.focus ? { userId: s.focus.user_id, deviceId: s.focus.device_id } : announcer;
    if (sameFocus(origin, me) || !sameFocus(origin, announcer)) continue;
    for (const [trackId, t] of Object.entries(s.tracks ?? {})) {
      out.push({
        streamId,
        trackId,
        kind: t.kind,
        owner: { userId: s.user_id, deviceId: s.device_id },
        origin,
      });
    }
  }
  return out;
}
