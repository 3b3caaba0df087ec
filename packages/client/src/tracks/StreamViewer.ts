// Subscribing to what is on screen: every remote stream's audio is subscribed; a stream's video
// is subscribed while an attached video element shows it (at the largest size it is shown at)
// and unsubscribed when hidden or detached. Composes RemoteStreams, SubscriptionManager and
// AdaptiveResolution; the connection is reached only through `send`.

import type { SdpStreamMetadata } from "@matrix-focus/protocol";
import type { Logger } from "../log.ts";
import type { RemoteStream } from "../types.ts";
import type { Clock } from "../util/Clock.ts";
import { Emitter } from "../util/Emitter.ts";
import {
  AdaptiveResolution,
  type ObservedElement,
  type ObserverFactory,
} from "./AdaptiveResolution.ts";
import { type ReceivedTrack, RemoteStreams } from "./RemoteStreams.ts";
import { type Size, SubscriptionManager, type SubscriptionUpdate } from "./SubscriptionManager.ts";

export interface VideoElementLike extends ObservedElement {
  srcObject: MediaProvider | null;
  autoplay: boolean;
  playsInline: boolean;
}

export interface StreamViewerOptions {
  self: { userId: string; deviceId: string };
  clock: Clock;
  logger: Logger;
  send: (update: SubscriptionUpdate) => boolean;
  makeStream: () => MediaStream;
  observers?: ObserverFactory;
  pixelRatio?: () => number;
  batchMs?: number;
  minIntervalMs?: number;
  resizeThreshold?: number;
  maxPixelRatio?: number;
}

export type StreamViewerEvents = {
  streamsChanged: (streams: RemoteStream[]) => void;
};

export class StreamViewer extends Emitter<StreamViewerEvents> {
  readonly remote: RemoteStreams;
  readonly subscriptions: SubscriptionManager;
  #adaptive: AdaptiveResolution;
  #attached = new Map<VideoElementLike, string>();
  #sizes = new Map<VideoElementLike, Size | undefined>();
  #logger: Logger;

  constructor(o: StreamViewerOptions) {
    super(o.logger);
    this.#logger = o.logger;
    this.remote = new RemoteStreams({ self: o.self, makeStream: o.makeStream });
    this.subscriptions = new SubscriptionManager({
      clock: o.clock,
      send: o.send,
      logger: o.logger,
      ...(o.batchMs !== undefined ? { batchMs: o.batchMs } : {}),
      ...(o.minIntervalMs !== undefined ? { minIntervalMs: o.minIntervalMs } : {}),
      ...(o.resizeThreshold !== undefined ? { resizeThreshold: o.resizeThreshold } : {}),
    });
    this.#adaptive = new AdaptiveResolution({
      onChange: (el, size) => {
        const v = el as VideoElementLike;
        this.#sizes.set(v, size);
        const id = this.#attached.get(v);
        if (id !== undefined) this.#applyVideo(id);
      },
      ...(o.observers !== undefined ? { observers: o.observers } : {}),
      ...(o.pixelRatio !== undefined ? { pixelRatio: o.pixelRatio } : {}),
      ...(o.maxPixelRatio !== undefined ? { maxPixelRatio: o.maxPixelRatio } : {}),
    });
  }

  list(): RemoteStream[] {
    return this.remote.list();
  }

  setAvailable(md: SdpStreamMetadata): void {
    this.remote.setAvailable(md);
    this.#applyAll();
  }

  setCarried(md: SdpStreamMetadata): void {
    this.remote.setCarried(md);
    this.#applyAll();
  }

  setReceived(tracks: ReceivedTrack[]): void {
    this.remote.setReceived(tracks);
    this.#emitIfChanged();
  }

  attach(streamId: string, el: VideoElementLike): void {
    const prev = this.#attached.get(el);
    if (prev === streamId) return;
    if (prev !== undefined) this.detach(el);
    this.#attached.set(el, streamId);
    const stream = this.remote.list().find((s) => s.id === streamId);
    el.autoplay = true;
    el.playsInline = true;
    el.srcObject = stream?.mediaStream ?? null;
    this.#logger.debug(`attached stream ${streamId}`);
    this.#adaptive.observe(el);
    this.#applyVideo(streamId);
  }

  detach(el: VideoElementLike): void {
    const id = this.#attached.get(el);
    if (id === undefined) return;
    this.#attached.delete(el);
    this.#sizes.delete(el);
    this.#adaptive.unobserve(el);
    el.srcObject = null;
    this.#applyVideo(id);
  }

  /** A new connection: everything wanted is sent again once it is ready. */
  resetConnection(): void {
    this.subscriptions.reset();
    this.remote.clear();
    this.#applyAll();
  }

  close(): void {
    for (const el of [...this.#attached.keys()]) this.detach(el);
    this.#adaptive.close();
    this.subscriptions.close();
    this.removeAll();
  }

  #applyAll(): void {
    const ids = new Set(this.remote.ids());
    for (const w of this.subscriptions.wanted) {
      if (!ids.has(w.stream_id)) this.subscriptions.forgetStream(w.stream_id);
    }
    for (const id of ids) {
      for (const t of this.remote.tracksOf(id))
        if (t.kind === "audio") this.subscriptions.want(id, t.trackId);
      this.#applyVideo(id);
    }
    // An element attached before its stream was known gets the stream now.
    for (const [el, id] of this.#attached) {
      const ms = this.remote.list().find((s) => s.id === id)?.mediaStream ?? null;
      if (el.srcObject !== ms) el.srcObject = ms;
    }
    this.#emitIfChanged();
  }

  /** Wants a stream's video at the largest size an attached element shows it, or not at all. */
  #applyVideo(streamId: string): void {
    let best: Size | undefined;
    for (const [el, id] of this.#attached) {
      if (id !== streamId) continue;
      const s = this.#sizes.get(el);
      if (s !== undefined && (best === undefined || s.width * s.height > best.width * best.height))
        best = s;
    }
    for (const t of this.remote.tracksOf(streamId)) {
      if (t.kind !== "video") continue;
      if (best === undefined) this.subscriptions.unwant(streamId, t.trackId);
      else this.subscriptions.want(streamId, t.trackId, best);
    }
  }

  #emitIfChanged(): void {
    if (this.remote.takeChanged()) this.emit("streamsChanged", this.remote.list());
  }
}
