// The publications of a conference by key (stream id + track id): publishing a track when its
// first layer arrives, and removing publications (every subscription to them ends too).
import type { Logger } from "pino";
import { parseLayerTrackId } from "../cascade/layerTracks.ts";
import type { IncomingLayer } from "../media/webrtc/IncomingLayer.ts";
import { newPublication } from "./callParts.ts";
import type { ConferenceOptions } from "./conferenceOptions.ts";
import type { Participant } from "./Participant.ts";
import { isRelayed, type Publication, publicationKey } from "./Publication.ts";

/** How often, and how far apart, a layer without a stream id is looked at again. */
const UNNAMED_LAYER_CHECKS = 8;
const UNNAMED_LAYER_RECHECK_MS = 250;

export class PublicationTable extends Map<string, Publication> {
  readonly #calls: ReadonlyMap<string, Participant>;
  readonly #o: ConferenceOptions;
  readonly #log: Logger;
  /** Layers seen without a stream id, and how often. */
  readonly #unnamed = new WeakMap<IncomingLayer, number>();

  constructor(calls: ReadonlyMap<string, Participant>, o: ConferenceOptions, log: Logger) {
    super();
    this.#calls = calls;
    this.#o = o;
    this.#log = log;
  }

  /**
   * A layer of a track arrived from `p`: add it to the track's publication, or publish the
   * track. `announce` is told whose publications changed; `recheck` hands the layer back to
   * this method later, through the conference's queue.
   */
  layerArrived(
    p: Participant,
    layer: IncomingLayer,
    announce: (changed: Participant | undefined) => void,
    recheck: () => void,
  ): void {
    if (layer.streamId === "") {
      this.#unnamedLayer(p, layer, recheck);
      return;
    }
    // a sibling part sends each simulcast layer as a track of its own (layerTracks.ts)
    const perLayer = p.link?.sibling ? parseLayerTrackId(layer.trackId) : undefined;
    const key = publicationKey(layer.streamId, perLayer?.trackId ?? layer.trackId);
    const existing = this.get(key);
    if (p.link && existing?.ownerCallId !== p.callId) {
      this.#log.warn({ key, callId: p.callId }, "a link sent a track it did not announce: ignored");
      return;
    }
    if (existing && isRelayed(existing) && !p.link) {
      // the owner moved here from another focus (fail-over): its own publication wins
      this.remove(key, existing);
      announce(undefined);
    } else if (existing) {
      if (existing.ownerCallId === p.callId) existing.receiver.addLayer(layer, perLayer?.rid);
      else
        this.#log.warn(
          { key, callId: p.callId },
          "a stream/track id already published by another device: ignored",
        );
      return;
    }
    const pub = newPublication(this.#o, p, layer);
    this.set(key, pub);
    // the announced metadata carries the full size once keyframes tell it (clients judge the
    // layer they receive by it), and sibling parts get each layer's size: announce again
    // whenever a layer's size is learned or changes (clients are sent only what changed)
    let announced = layerSizes(pub);
    pub.receiver.on("layersChanged", () => {
      const sizes = layerSizes(pub);
      if (sizes === announced) return;
      announced = sizes;
      if (this.get(key) === pub && !isRelayed(pub)) announce(p);
    });
    this.#log.info(
      { callId: p.callId, streamId: pub.streamId, trackId: pub.trackId, kind: pub.kind },
      "track published",
    );
    announce(p);
  }

  /**
   * A layer whose m-line names no msid stream id cannot be found in its publisher's metadata
   * (tracks are named by stream and track id), so it is not published under "" (werift reports
   * one when a renegotiation answer drops the msid and names a new SSRC). werift may also report
   * a track before it stored its m-line's msid: look again a few times, then give up.
   */
  #unnamedLayer(p: Participant, layer: IncomingLayer, recheck: () => void): void {
    const seen = (this.#unnamed.get(layer) ?? 0) + 1;
    this.#unnamed.set(layer, seen);
    if (seen <= UNNAMED_LAYER_CHECKS) {
      this.#o.clock.setTimeout(recheck, UNNAMED_LAYER_RECHECK_MS);
      return;
    }
    this.#log.warn(
      { callId: p.callId, trackId: layer.trackId, kind: layer.kind, rid: layer.rid },
      "a track whose m-line names no msid stream id: not published",
    );
  }

  /** Removes the publications of call `callId` that `which` selects; returns them. */
  unpublish(callId: string, which: (pub: Publication) => boolean): Publication[] {
    const removed: Publication[] = [];
    for (const [key, pub] of [...this]) {
      if (pub.ownerCallId !== callId || !which(pub)) continue;
      this.remove(key, pub);
      removed.push(pub);
    }
    return removed;
  }

  remove(key: string, pub: Publication): void {
    this.delete(key);
    for (const other of this.#calls.values()) other.unsubscribePublication(pub);
    pub.receiver.close();
  }
}

/** The known sizes of a publication's layers, as a comparable string. */
function layerSizes(pub: Publication): string {
  return pub.receiver
    .layers()
    .filter((l) => l.width !== undefined)
    .map((l) => `${l.rid}:${l.width}x${l.height}`)
    .sort()
    .join(",");
}
