// The load generator's client of Janus VideoRoom (multistream API, Janus 1.x): one
// publisher handle per publishing participant, one subscriber handle (one peer connection
// for all its feeds) per subscribing participant, simulcast layer chosen per stream.
import type { MediaProfile } from "../../config/defaults.ts";
import { nowMs } from "../clock.ts";
import type { MediaPath } from "../ipc.ts";
import { connected, createPeer } from "../media/peer.ts";
import type { ReceiveStats } from "../media/ReceiveStats.ts";
import { SyntheticPublisher } from "../media/SyntheticPublisher.ts";
import {
  type LayerRid,
  type PublishedFeed,
  receiveInto,
  type Subscription,
  type TargetClient,
} from "../targets.ts";
import { JanusSession } from "./JanusSession.ts";

const PLUGIN = "janus.plugin.videoroom";

export interface JanusTargetOptions {
  apiUrl: string;
  localAddress: string;
  profile: MediaProfile;
  connectTimeoutMs: number;
  mediaPath: MediaPath;
  /** Janus drops to a lower layer after this long without packets on the chosen one, us. */
  fallbackUs: number;
}

/** Janus numbers simulcast substreams from the lowest (0) up. */
function substreamOf(profile: MediaProfile, rid: LayerRid): number {
  const i = profile.layers.findIndex((l) => l.rid === rid);
  return profile.layers.length - 1 - Math.max(0, i);
}

export class JanusTarget implements TargetClient {
  readonly problems: string[] = [];
  readonly #o: JanusTargetOptions;
  #session: JanusSession | undefined;
  #admin = 0;
  readonly #rooms = new Set<number>();

  constructor(o: JanusTargetOptions) {
    this.#o = o;
  }

  async #s(): Promise<JanusSession> {
    if (!this.#session) {
      this.#session = await JanusSession.create(this.#o.apiUrl);
      this.#admin = await this.#session.attach(PLUGIN);
    }
    return this.#session;
  }

  roomId(room: number): number {
    return 1000 + room;
  }

  async createRoom(room: number): Promise<void> {
    if (this.#rooms.has(room)) return;
    const s = await this.#s();
    const created = s.message(this.#admin, {
      request: "create",
      room: this.roomId(room),
      publishers: 200,
      bitrate: 0,
      fir_freq: 0,
      videocodec: "vp8",
      audiocodec: "opus",
      notify_joining: false,
      audiolevel_event: false,
    });
    // another load process may have created it first (VideoRoom error 427: room exists)
    await created.catch((e: Error) => {
      if (!/\(427\)/.test(e.message)) throw e;
    });
    this.#rooms.add(room);
  }

  async publish(room: number, index: number, pub: SyntheticPublisher): Promise<PublishedFeed> {
    const s = await this.#s();
    const handle = await s.attach(PLUGIN);
    const joined = await s.message(handle, {
      request: "join",
      ptype: "publisher",
      room: this.roomId(room),
      display: `p${index}`,
    });
    const feed = String(joined.data.id);
    const pc = createPeer({ localAddress: this.#o.localAddress });
    const { audio, video } = pub.addTransceivers(pc);
    await pc.setLocalDescription(await pc.createOffer());
    const offer = SyntheticPublisher.offerForRemote(pc.localDescription?.sdp ?? "");
    const reply = await s.message(
      handle,
      { request: "publish", audio: true, video: true, data: false },
      { type: "offer", sdp: offer, trickle: false },
    );
    if (!reply.jsep) throw new Error("janus sent no answer to the publish offer");
    await pc.setRemoteDescription({ type: "answer", sdp: reply.jsep.sdp });
    await connected(pc, this.#o.connectTimeoutMs);
    pub.start(pc, audio, video, nowMs());
    return {
      feed,
      publisher: index,
      close: async () => {
        await pc.close();
        await s.detach(handle);
      },
    };
  }

  async subscribe(
    room: number,
    _index: number,
    feeds: PublishedFeed[],
    layer: LayerRid,
    stats: ReceiveStats,
  ): Promise<Subscription> {
    const s = await this.#s();
    const requestedAt = nowMs();
    const handle = await s.attach(PLUGIN);
    const substream = substreamOf(this.#o.profile, layer);
    const joined = await s.message(handle, {
      request: "join",
      ptype: "subscriber",
      room: this.roomId(room),
      streams: feeds.map((f) => ({ feed: Number(f.feed) })),
    });
    if (!joined.jsep) throw new Error("janus sent no offer to the subscriber");
    const pc = createPeer({ localAddress: this.#o.localAddress });
    await pc.setRemoteDescription({ type: "offer", sdp: joined.jsep.sdp });
    const receiving = receiveInto(pc, stats, this.#o.mediaPath);
    await pc.setLocalDescription(await pc.createAnswer());
    const started = s.message(
      handle,
      { request: "start" },
      { type: "answer", sdp: pc.localDescription?.sdp ?? "", trickle: false },
    );
    const videoMids = ((joined.data.streams as { mid: string; type: string }[]) ?? [])
      .filter((st) => st.type === "video")
      .map((st) => st.mid);
    await started;
    const configure = (to: number) =>
      s.message(handle, {
        request: "configure",
        streams: videoMids.map((mid) => ({
          mid,
          substream: to,
          temporal: 2,
          fallback: this.#o.fallbackUs,
        })),
      });
    await configure(substream);
    await connected(pc, this.#o.connectTimeoutMs);
    receiving.lean();
    return {
      requestedAt,
      switchLayer: async (to) => {
        await configure(substreamOf(this.#o.profile, to));
      },
      close: async () => {
        await pc.close();
        await s.detach(handle);
      },
    };
  }

  async close(): Promise<void> {
    await this.#session?.close();
  }
}
