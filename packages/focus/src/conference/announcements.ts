// What the focus announces to each participant: the subscribable streams (everyone else's
// publications, with their owners' metadata), and sending that set when it changed.
import { encodeMetadataChangedJson, type SdpStreamMetadata } from "@matrix-focus/protocol";
import { layerTrackId } from "../cascade/layerTracks.ts";
import { mayRelayOverLink, withOrigin } from "../cascade/loopGuard.ts";
import type { DeviceRef } from "./inputs.ts";
import { metadataOf, type OwnMetadataLookup } from "./metadata.ts";
import type { Participant } from "./Participant.ts";
import { isRelayed, type Publication } from "./Publication.ts";

/** Whether publication `pub` may be sent to participant `to` (the cascade's loop guard). */
export function mayForward(to: Participant, pub: Publication): boolean {
  return (
    !to.link ||
    mayRelayOverLink({ viaLink: pub.origin !== undefined, viaSibling: pub.viaSibling }, to.link)
  );
}

/**
 * The streams `p` may subscribe to; a link to another focus gets only tracks that entered the
 * cascade here, marked with this focus as their origin; a sibling link gets the tracks that did
 * not come from a sibling, other foci's with their origin.
 */
export function subscribableFor(
  p: Participant,
  publications: Iterable<Publication>,
  calls: ReadonlyMap<string, Participant>,
  focus: DeviceRef,
): SdpStreamMetadata {
  const pubs = [...publications].filter((x) => x.ownerCallId !== p.callId && mayForward(p, x));
  const meta = metadataOf(pubs, ownMetadataIn(calls));
  if (p.link?.sibling) return perLayer(meta, pubs);
  return p.link ? withOrigin(meta, focus) : meta;
}

/** What each owner last said about its own streams, looked up in the conference's calls. */
function ownMetadataIn(calls: ReadonlyMap<string, Participant>): OwnMetadataLookup {
  return (callId, streamId) => calls.get(callId)?.ownMetadata[streamId];
}

/**
 * The subscribable sets of one announcement. Every device (a participant that is not a link)
 * may see every publication but its own, so their sets are cut from one metadata of all
 * publications, built once instead of once per device (in a call of n, n times the work;
 * docs/performance.md). Links, and a device that shares a stream id with another owner, get
 * `subscribableFor` itself. Valid while the publications and metadata it was made from are
 * unchanged: make one per announcement.
 */
export class SubscribableSets {
  readonly #pubs: readonly Publication[];
  readonly #calls: ReadonlyMap<string, Participant>;
  readonly #focus: DeviceRef;
  #all: { meta: SdpStreamMetadata; owner: Map<string, string | null> } | undefined;
  /** Each stream's `"id":{…}` in JSON with its owner, in the metadata's order (`jsonFor`). */
  #fragments: { owner: string | null | undefined; json: string }[] | undefined;

  constructor(
    publications: Iterable<Publication>,
    calls: ReadonlyMap<string, Participant>,
    focus: DeviceRef,
  ) {
    this.#pubs = [...publications];
    this.#calls = calls;
    this.#focus = focus;
  }

  for(p: Participant): SdpStreamMetadata {
    if (p.link) return subscribableFor(p, this.#pubs, this.#calls, this.#focus);
    const all = this.#allStreams();
    const out: SdpStreamMetadata = {};
    for (const [streamId, entry] of Object.entries(all.meta)) {
      const owner = all.owner.get(streamId);
      if (owner === p.callId) continue;
      // a stream id under two owners: what p sees of it depends on p, so build p's own set
      if (
        owner === null &&
        this.#pubs.some((x) => x.streamId === streamId && x.ownerCallId === p.callId)
      )
        return subscribableFor(p, this.#pubs, this.#calls, this.#focus);
      out[streamId] = entry;
    }
    return out;
  }

  /**
   * `JSON.stringify(this.for(p))`, for a device joined from each stream's JSON made once per
   * set instead of serializing the device's whole set (in a call of n, n sets of n streams).
   */
  jsonFor(p: Participant): string {
    if (p.link) return JSON.stringify(this.for(p));
    const all = this.#allStreams();
    this.#fragments ??= Object.entries(all.meta).map(([streamId, entry]) => ({
      owner: all.owner.get(streamId),
      json: `${JSON.stringify(streamId)}:${JSON.stringify(entry)}`,
    }));
    const parts: string[] = [];
    for (const f of this.#fragments) {
      if (f.owner === p.callId) continue;
      if (f.owner === null) return JSON.stringify(this.for(p));
      parts.push(f.json);
    }
    return `{${parts.join(",")}}`;
  }

  #allStreams() {
    if (this.#all) return this.#all;
    const owner = new Map<string, string | null>();
    for (const x of this.#pubs) {
      const seen = owner.get(x.streamId);
      owner.set(x.streamId, seen === undefined || seen === x.ownerCallId ? x.ownerCallId : null);
    }
    const meta = metadataOf(this.#pubs, ownMetadataIn(this.#calls));
    this.#all = { meta, owner };
    return this.#all;
  }
}

/**
 * For a sibling part: each simulcast video track published here becomes one track per layer
 * whose size is known (layerTracks.ts), so that the sibling can ask for the layers it needs.
 * Until a first layer's size is known the track is announced whole, so that it can be
 * subscribed to at once; the sibling moves to the layers when they are announced.
 */
function perLayer(meta: SdpStreamMetadata, pubs: readonly Publication[]): SdpStreamMetadata {
  for (const pub of pubs) {
    const layers = pub.receiver.layers();
    const tracks = meta[pub.streamId]?.tracks;
    const sized = layers.some((l) => l.rid !== "" && l.width !== undefined);
    if (pub.kind !== "video" || isRelayed(pub) || !tracks || !sized) continue;
    const declared = tracks[pub.trackId];
    delete tracks[pub.trackId];
    for (const l of layers) {
      if (l.width === undefined) continue;
      tracks[layerTrackId(pub.trackId, l.rid)] = {
        ...declared,
        kind: "video",
        width: l.width,
        ...(l.height !== undefined ? { height: l.height } : {}),
      };
    }
  }
  return meta;
}

/**
 * Sends every participant its subscribable set where it changed. `changed` holds whose
 * publications changed since the last announcement (`undefined` for "not one participant's");
 * `subscribableJson` gives a participant's set as JSON.
 */
export function announce(
  changed: ReadonlySet<Participant | undefined>,
  calls: Iterable<Participant>,
  subscribableJson: (p: Participant) => string,
): void {
  // A participant's own publications are not in its set: when only its own changed, its set
  // did not. A link to another focus announces only that focus's own tracks, so what such
  // links changed concerns this focus's clients and sibling parts only; telling the other
  // links would echo announcements between foci. Likewise what sibling links changed is not
  // relayed to other siblings.
  const only = changed.size === 1 ? [...changed][0] : undefined;
  const all = [...changed];
  const viaFociOnly = all.every((c) => c?.link !== undefined && !c.link.sibling);
  const viaSiblingsOnly = all.every((c) => c?.link?.sibling === true);
  for (const other of calls) {
    if (other === only || other.ended) continue;
    if (other.link && (other.link.sibling ? viaSiblingsOnly : viaFociOnly)) continue;
    sendSubscribable(other, subscribableJson(other));
  }
}

/** Sends `p` its subscribable set (as JSON) unless that is what it was last sent. */
export function sendSubscribable(p: Participant, json: string): void {
  if (json === p.lastAnnouncement) return;
  if (p.sendEncoded(encodeMetadataChangedJson(json))) p.lastAnnouncement = json;
}
