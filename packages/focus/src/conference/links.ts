// Cascading: the link calls of a conference as seen from here — their summary for the cascade
// coordinator, requests for new links, the tracks a link's focus announced (mirrored as
// publications) and what this focus asks of each link (demand).
import { type ConnectToFocusContent, DataChannelErrorCode } from "@matrix-focus/protocol";
import { aggregateDemand, demandChange, type WantedSize } from "../cascade/demand.ts";
import {
  type GroupedTrack,
  groupLayers,
  layerTrackId,
  parseLayerTrackId,
} from "../cascade/layerTracks.ts";
import { announcedTracks, type SiblingTrack, siblingTracks } from "../cascade/loopGuard.ts";
import { TrackReceiver } from "../media/forwarding/TrackReceiver.ts";
import { selectLayer } from "../media/simulcast/LayerSelector.ts";
import type { ConferenceOptions } from "./conferenceOptions.ts";
import type { ConferenceKey, DeviceRef } from "./inputs.ts";
import type { LinkEnd, Participant } from "./Participant.ts";
import { isRelayed, type Publication, publicationKey } from "./Publication.ts";
import type { PublicationTable } from "./PublicationTable.ts";

/** Cascading: one link call as the cascade coordinator sees it. */
export interface LinkView {
  callId: string;
  focus: DeviceRef;
  dialer: boolean;
  /** A link between two parts (workers) of this focus serving one conference. */
  sibling: boolean;
  state: string;
  /** Tracks this focus sends over the link (someone behind it subscribed). */
  tracksOut: number;
  /** Tracks coming in over the link that someone here subscribed to. */
  tracksIn: number;
  packetsOut: number;
  bytesOut: number;
  /** Per track sent over the link: "stream/track" -> packets sent. */
  sent: Record<string, number>;
}

interface WantedTrack {
  streamId: string;
  trackId: string;
  want: WantedSize;
}

/** By link call_id, what was last asked of the other focus (by track key). */
export type LinkDemand = Map<string, Map<string, WantedTrack>>;

export function linkViews(calls: Iterable<Participant>, demand: LinkDemand): LinkView[] {
  const out: LinkView[] = [];
  for (const p of calls) {
    if (!p.link) continue;
    const sent: Record<string, number> = {};
    let packetsOut = 0;
    let bytesOut = 0;
    for (const s of p.subscriptions.values()) {
      sent[`${s.publication.streamId}/${s.publication.trackId}`] = s.sender.packetsSent;
      packetsOut += s.sender.packetsSent;
      bytesOut += s.sender.bytesSent;
    }
    out.push({
      callId: p.callId,
      focus: p.link.focus,
      dialer: p.link.dialer,
      sibling: p.link.sibling === true,
      state: p.state,
      tracksOut: p.subscriptions.size,
      tracksIn: demand.get(p.callId)?.size ?? 0,
      packetsOut,
      bytesOut,
      sent,
    });
  }
  return out;
}

/** m.call.connect_to_focus: undefined when the link was granted, else the refusal. */
export function connectToFocusRefusal(
  key: ConferenceKey,
  c: ConnectToFocusContent,
  linkRequested: ((conference: ConferenceKey, focus: DeviceRef) => string | undefined) | undefined,
): { errcode: "M_FORBIDDEN"; error: string } | undefined {
  const refuse = (error: string) => ({ errcode: DataChannelErrorCode.forbidden, error });
  if (c.conf_id !== key.confId || (c.room_id !== undefined && c.room_id !== key.roomId))
    return refuse("this call belongs to another conference");
  const focus = { userId: c.focus.user_id, deviceId: c.focus.device_id };
  const why = linkRequested?.(key, focus) ?? "this focus does not link on request";
  return why === "" ? undefined : refuse(why);
}

/** What mirroring a link's tracks needs from its conference. */
export type MirrorOptions = Pick<ConferenceOptions, "focus" | "clock" | "media" | "counters">;

/**
 * The other end of link call `p` (another focus, or a sibling part) announced the streams it
 * offers; mirror them as publications.
 */
export function mirrorLinkTracks(
  p: Participant,
  link: LinkEnd,
  publications: PublicationTable,
  x: MirrorOptions,
): void {
  const tracks: GroupedTrack<SiblingTrack>[] = link.sibling
    ? groupLayers(siblingTracks(p.ownMetadata, x.focus))
    : announcedTracks(p.ownMetadata, x.focus, link.focus);
  const wanted = new Set(tracks.map((t) => publicationKey(t.streamId, t.trackId)));
  for (const [key, pub] of [...publications]) {
    if (pub.ownerCallId === p.callId && !wanted.has(key)) publications.remove(key, pub);
  }
  for (const t of tracks) {
    const key = publicationKey(t.streamId, t.trackId);
    const existing = publications.get(key);
    if (existing?.ownerCallId === p.callId) {
      if (t.layers) existing.siblingLayers = t.layers;
      continue;
    }
    if (existing && !isRelayed(existing)) continue; // published here: the local one wins
    if (existing) publications.remove(key, existing); // the owner moved to another focus
    publications.set(key, {
      key,
      streamId: t.streamId,
      trackId: t.trackId,
      kind: t.kind,
      owner: t.owner,
      ownerCallId: p.callId,
      ...(t.origin ? { origin: t.origin } : {}),
      ...(link.sibling ? { viaSibling: true } : {}),
      ...(t.layers ? { siblingLayers: t.layers } : {}),
      receiver: new TrackReceiver<Participant>({
        kind: t.kind,
        streamId: t.streamId,
        trackId: t.trackId,
        clock: x.clock,
        media: x.media,
        counters: x.counters,
        appData: p,
      }),
    });
  }
}

/**
 * What a subscription asks of the link a publication came over: the track at the wanted size,
 * or, from a sibling part that offers the track per layer, the layer that size picks.
 */
function linkWant(pub: Publication, want: WantedSize): WantedTrack {
  const layers = pub.siblingLayers;
  if (!layers?.length) return { streamId: pub.streamId, trackId: pub.trackId, want };
  const rid = selectLayer(
    layers.map((l) => ({ ...l, active: true })),
    want,
  ) as string;
  return { streamId: pub.streamId, trackId: layerTrackId(pub.trackId, rid), want: {} };
}

/**
 * Asks each link for the tracks someone here subscribed to, at the largest size: clients, and
 * links that relay them further (a sibling part for another focus's track, another focus for a
 * sibling part's track; the loop guard keeps anything else from subscribing).
 */
export function updateLinkDemand(
  calls: ReadonlyMap<string, Participant>,
  demand: LinkDemand,
): void {
  for (const [callId, sent] of demand) {
    const link = calls.get(callId);
    if (!link || link.ended) continue;
    const wants: WantedTrack[] = [];
    for (const q of calls.values()) {
      for (const s of q.subscriptions.values()) {
        if (s.publication.ownerCallId !== callId) continue;
        wants.push(linkWant(s.publication, s.want));
      }
    }
    const next = aggregateDemand(wants);
    const change = demandChange(sent, next);
    if (change === undefined) continue;
    if (link.sendData({ kind: "trackSubscription", content: change })) demand.set(callId, next);
  }
}

/**
 * A sibling part's subscription to a per-layer track (layerTracks.ts): the publication it
 * names and the size of that layer, which picks the layer. Undefined for other participants
 * and tracks, and for layers whose size is not known.
 */
export function perLayerView(
  p: Participant | undefined,
  publications: PublicationTable,
  streamId: string,
  trackId: string,
): { pub: Publication; want: WantedSize } | undefined {
  const parsed = p?.link?.sibling ? parseLayerTrackId(trackId) : undefined;
  if (!parsed) return undefined;
  const pub = publications.get(publicationKey(streamId, parsed.trackId));
  const layer = pub?.receiver.layers().find((l) => l.rid === parsed.rid);
  if (!pub || layer?.width === undefined) return undefined;
  return {
    pub,
    want: { width: layer.width, ...(layer.height !== undefined ? { height: layer.height } : {}) },
  };
}
