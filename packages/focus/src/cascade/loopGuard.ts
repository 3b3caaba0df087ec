// The loop guard of the cascade: a focus announces and relays over a link only the tracks its
// own clients publish, never tracks that reached it over another link; and it takes from a
// link's announcement only tracks whose owner and origin focus are named (never its own).
// A conference spread over several workers of one focus links its parts with sibling links
// (docs/decisions/focus-workers.md): a part relays to its siblings what its own clients publish
// and what came from other foci, never what came from another sibling; and to other foci what
// its own clients and its siblings' clients publish. Every path is then at most
// publisher -> part -> (part) -> focus -> part -> subscriber, and never a loop. Pure.
import {
  type FocusRef,
  focusIdFromRef,
  type SdpStreamMetadata,
  sameFocus,
} from "@matrix-focus/protocol";

/** Where a track this focus holds came from. */
export interface HeldTrack {
  /** Set when the track entered the cascade at another focus. */
  viaLink: boolean;
  /** Set when the track came from another part (worker) of the same conference here. */
  viaSibling?: boolean;
}

/**
 * Whether a track may go over a link: to another focus only tracks that entered the cascade
 * here (published by a client of this focus, on any of its parts); to a sibling part only
 * tracks that did not come from a sibling.
 */
export function mayRelayOverLink(track: HeldTrack, link: { sibling?: boolean } = {}): boolean {
  return link.sibling ? !track.viaSibling : !track.viaLink;
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
  return tracksOf(meta, (named) => {
    const origin = named ?? announcer;
    return sameFocus(origin, me) || !sameFocus(origin, announcer) ? null : origin;
  }) as AnnouncedTrack[];
}

/** One track a sibling part announces: its own clients' tracks and those of other foci. */
export interface SiblingTrack extends Omit<AnnouncedTrack, "origin"> {
  /** The other focus the track entered the cascade at; none when a client of this focus publishes it. */
  origin?: FocusRef;
  /** The size announced for it (a layer's, for a per-layer track: layerTracks.ts). */
  width?: number;
  height?: number;
}

/**
 * The tracks a sibling part's announcement offers (streams without an owner are skipped). A
 * stream naming another focus keeps it as origin; one naming this focus, or none, is local.
 */
export function siblingTracks(meta: SdpStreamMetadata, me: FocusRef): SiblingTrack[] {
  return tracksOf(meta, (named) => (named && !sameFocus(named, me) ? named : undefined));
}

/**
 * Every track of the streams with an owner, with the origin `originOf` gives for the focus a
 * stream names (undefined: none); a stream whose `originOf` is null is left out.
 */
function tracksOf(
  meta: SdpStreamMetadata,
  originOf: (named: FocusRef | undefined) => FocusRef | undefined | null,
): SiblingTrack[] {
  const out: SiblingTrack[] = [];
  for (const [streamId, s] of Object.entries(meta)) {
    if (s.user_id === undefined || s.device_id === undefined) continue;
    const named = s.focus ? { userId: s.focus.user_id, deviceId: s.focus.device_id } : undefined;
    const origin = originOf(named);
    if (origin === null) continue;
    for (const [trackId, t] of Object.entries(s.tracks ?? {})) {
      out.push({
        streamId,
        trackId,
        kind: t.kind,
        owner: { userId: s.user_id, deviceId: s.device_id },
        ...(origin ? { origin } : {}),
        ...(t.width !== undefined ? { width: t.width } : {}),
        ...(t.height !== undefined ? { height: t.height } : {}),
      });
    }
  }
  return out;
}
