// The load generator's client of our focus, speaking MSC3898 like the deployed client: one
// call (peer connection + data channel) per participant, set up with to-device call events
// (relayed in memory by the runner), subscriptions and renegotiation on the data channel.
import { randomUUID } from "node:crypto";
import { browserSctpSending, useSctpSending } from "@matrix-focus/focus";
import {
  type CallEvent,
  type CallEventCommon,
  ContentKeys,
  type DataChannelMessage,
  encodeDataChannelMessage,
  HangupReason,
  parseDataChannelMessage,
  type SdpStreamMetadata,
  Values,
} from "@matrix-focus/protocol";
import type { RTCDataChannel, RTCPeerConnection } from "werift";
import { type MediaProfile, runDefaults } from "../../config/defaults.ts";
import { nowMs } from "../clock.ts";
import type { MediaPath } from "../ipc.ts";
import { connected, createPeer } from "../media/peer.ts";
import type { ReceiveStats } from "../media/ReceiveStats.ts";
import { SyntheticPublisher, withoutVideoSsrcs } from "../media/SyntheticPublisher.ts";
import {
  type LayerRid,
  type PublishedFeed,
  receiveInto,
  type Subscription,
  type TargetClient,
} from "../targets.ts";
import { addMsid, type FocusParty, focusParty } from "./identities.ts";

export interface FocusTargetOptions {
  localAddress: string;
  profile: MediaProfile;
  connectTimeoutMs: number;
  mediaPath: MediaPath;
  /** Sends a call event from one of our devices to the focus (relayed by the runner). */
  signal(sender: { userId: string; deviceId: string }, event: CallEvent): void;
}

interface Call {
  party: FocusParty;
  room: number;
  pc: RTCPeerConnection;
  dc: RTCDataChannel;
  common: CallEventCommon;
  seq: number;
  answered: Deferred<CallEvent & { kind: "answer" }>;
  stats?: ReceiveStats;
  /** The subscription in progress: done once an answered offer carries all its tracks. */
  subscribing?: { trackIds: string[]; done: Deferred<void> };
  /** The msid of each publishing m-line (by mid), written into every offer and answer. */
  msidByMid?: Record<string, [string, string]>;
}

const metadataKey = ContentKeys.sdpStreamMetadata.stable;

export class FocusTarget implements TargetClient {
  readonly problems: string[] = [];
  readonly #o: FocusTargetOptions;
  readonly #calls = new Map<string, Call>();
  readonly #byIndex = new Map<number, Call>();

  constructor(o: FocusTargetOptions) {
    this.#o = o;
  }

  async createRoom(): Promise<void> {
    // conferences are created by the first invite
  }

  /** A call event from the focus to one of our devices. */
  onSignal(to: string, payload: unknown): void {
    const call = this.#calls.get(to);
    const event = payload as CallEvent;
    if (!call) return;
    if (event.kind === "answer") call.answered.resolve(event);
    else if (event.kind === "candidates") {
      for (const c of event.content.candidates) {
        if (c.candidate) void call.pc.addIceCandidate(c as never).catch(() => {});
      }
    } else if (event.kind === "hangup") {
      const reason = event.content.reason ?? "no reason";
      this.problems.push(`${call.party.deviceId}: focus hung up (${reason})`);
      call.answered.reject(new Error(`focus hung up: ${reason}`));
    } else if (event.kind === "negotiate") {
      this.#onOffer(call, event.content.description.sdp, "toDevice").catch((e: Error) =>
        this.problems.push(`${call.party.deviceId}: renegotiation failed: ${e.message}`),
      );
    }
  }

  #send(call: Call, event: CallEvent): void {
    this.#o.signal({ userId: call.party.userId, deviceId: call.party.deviceId }, event);
  }

  #common(call: Call): CallEventCommon {
    return { ...call.common, seq: call.seq++, created_ts: Date.now() };
  }

  async #openCall(room: number, index: number, pub?: SyntheticPublisher) {
    const party = focusParty(index);
    const pc = createPeer({ localAddress: this.#o.localAddress });
    const dc = pc.createDataChannel(Values.dataChannelLabel, { ordered: true });
    // the data channel sends as Chrome's does (initial window of 10 packets)
    useSctpSending(pc, browserSctpSending);
    const t = pub?.addTransceivers(pc);
    await pc.setLocalDescription(await pc.createOffer());
    const call: Call = {
      party,
      room,
      pc,
      dc,
      seq: 0,
      answered: deferred(),
      common: {
        call_id: randomUUID(),
        conf_id: "",
        room_id: `!bench${room}:bench.invalid`,
        party_id: party.deviceId,
        version: Values.callVersion,
        device_id: party.deviceId,
        sender_session_id: randomUUID(),
        dest_session_id: "",
      },
    };
    call.answered.promise.catch(() => {});
    this.#calls.set(party.deviceId, call);
    this.#byIndex.set(index, call);
    dc.onMessage.subscribe((raw) => this.#onDc(call, raw.toString()));
    let sdp = pc.localDescription?.sdp ?? "";
    let metadata: SdpStreamMetadata | undefined;
    if (t && pub) {
      call.msidByMid = {
        [t.audio.mid ?? ""]: [party.streamId, party.audioTrackId],
        [t.video.mid ?? ""]: [party.streamId, party.videoTrackId],
      };
      sdp = addMsid(SyntheticPublisher.offerForRemote(sdp), call.msidByMid);
      metadata = {
        [party.streamId]: {
          user_id: party.userId,
          device_id: party.deviceId,
          purpose: Values.purposeUsermedia,
          audio_muted: false,
          video_muted: false,
          tracks: {
            [party.audioTrackId]: { kind: "audio" },
            [party.videoTrackId]: { kind: "video", width: 1280, height: 720 },
          },
        },
      };
    }
    this.#send(call, {
      kind: "invite",
      content: {
        ...this.#common(call),
        offer: { type: "offer", sdp },
        lifetime: runDefaults.inviteLifetimeMs,
        ...(metadata ? { [metadataKey]: metadata } : {}),
      },
    });
    const answer = await withTimeout(call.answered.promise, this.#o.connectTimeoutMs, "answer");
    call.common.dest_session_id = answer.content.sender_session_id;
    await pc.setRemoteDescription({ type: "answer", sdp: answer.content.answer.sdp });
    this.#send(call, {
      kind: "selectAnswer",
      content: { ...this.#common(call), selected_party_id: answer.content.party_id },
    });
    await connected(pc, this.#o.connectTimeoutMs);
    await dcOpen(dc, this.#o.connectTimeoutMs);
    if (t && pub) pub.start(pc, t.audio, t.video, nowMs());
    return call;
  }

  async publish(room: number, index: number, pub: SyntheticPublisher): Promise<PublishedFeed> {
    const call = await this.#openCall(room, index, pub);
    return {
      feed: call.party.streamId,
      publisher: index,
      close: () => this.#hangup(call),
    };
  }

  async subscribe(
    room: number,
    index: number,
    feeds: PublishedFeed[],
    layer: LayerRid,
    stats: ReceiveStats,
  ): Promise<Subscription> {
    const requestedAt = nowMs();
    const call = this.#byIndex.get(index) ?? (await this.#openCall(room, index));
    call.stats = stats;
    receiveInto(call.pc, stats, this.#o.mediaPath).lean();
    const subscribe = feeds.flatMap((f) => [
      // the ids follow from the publisher's index, whichever load process publishes it
      { stream_id: f.feed, track_id: focusParty(f.publisher).audioTrackId },
      ...this.#videoItems([f], layer),
    ]);
    // as a Janus subscriber's join, which the load awaits up to the answer (JanusTarget), a
    // subscription counts against the load's join concurrency until its offer is answered
    const done = deferred<void>();
    call.subscribing = { trackIds: subscribe.map((i) => i.track_id), done };
    this.#sendDc(call, { kind: "trackSubscription", content: { subscribe } });
    await withTimeout(done.promise, this.#o.connectTimeoutMs, "renegotiation offer");
    return {
      requestedAt,
      // the same tracks at the other layer's size: the focus changes layer, no renegotiation
      switchLayer: async (to) =>
        this.#sendDc(call, {
          kind: "trackSubscription",
          content: { subscribe: this.#videoItems(feeds, to) },
        }),
      close: () => this.#hangup(call),
    };
  }

  /** Subscription items for the video of `feeds`, at the size of `layer`. */
  #videoItems(feeds: PublishedFeed[], layer: LayerRid) {
    const size = this.#o.profile.layers.find((l) => l.rid === layer);
    return feeds.map((f) => ({
      stream_id: f.feed,
      track_id: focusParty(f.publisher).videoTrackId,
      ...(size ? { width: size.width, height: size.height } : {}),
    }));
  }

  #sendDc(call: Call, msg: DataChannelMessage): void {
    if (call.dc.readyState === "open") call.dc.send(encodeDataChannelMessage(msg));
  }

  #onDc(call: Call, raw: string): void {
    const parsed = parseDataChannelMessage(raw);
    if (!parsed.ok) {
      this.problems.push(`${call.party.deviceId}: unreadable data-channel message from the focus`);
      return;
    }
    const m = parsed.value;
    if (m.kind === "ping") this.#sendDc(call, { kind: "pong", content: {} });
    else if (m.kind === "error") {
      const problem = `${call.party.deviceId}: ${m.content.errcode} ${m.content.error}`;
      this.problems.push(problem);
      // a refused subscription fails its join now, not when the wait for its offer times out
      call.subscribing?.done.reject(new Error(problem));
      call.subscribing = undefined;
    } else if (m.kind === "negotiate" && m.content.description.type === "offer") {
      this.#onOffer(call, m.content.description.sdp, "dataChannel").catch((e: Error) =>
        this.problems.push(`${call.party.deviceId}: renegotiation failed: ${e.message}`),
      );
    }
  }

  async #onOffer(call: Call, sdp: string, via: "dataChannel" | "toDevice"): Promise<void> {
    await call.pc.setRemoteDescription({ type: "offer", sdp });
    await call.pc.setLocalDescription(await call.pc.createAnswer());
    // as a browser answers: its publishing m-lines keep their msid and name no unused SSRC
    const local = call.pc.localDescription?.sdp ?? "";
    const answer = call.msidByMid ? addMsid(withoutVideoSsrcs(local), call.msidByMid) : local;
    const description = { type: "answer" as const, sdp: answer };
    if (via === "dataChannel") this.#sendDc(call, { kind: "negotiate", content: { description } });
    else this.#send(call, { kind: "negotiate", content: { ...this.#common(call), description } });
    const waiting = call.subscribing;
    const offered = new Set([...sdp.matchAll(/^a=msid:\S+ (\S+)/gm)].map((m) => m[1]));
    if (waiting?.trackIds.every((id) => offered.has(id))) {
      call.subscribing = undefined;
      waiting.done.resolve();
    }
  }

  async #hangup(call: Call): Promise<void> {
    if (!this.#calls.delete(call.party.deviceId)) return;
    this.#send(call, {
      kind: "hangup",
      content: { ...this.#common(call), reason: HangupReason.userHangup },
    });
    await call.pc.close();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#calls.values()].map((c) => this.#hangup(c)));
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

function dcOpen(dc: RTCDataChannel, ms: number): Promise<void> {
  if (dc.readyState === "open") return Promise.resolve();
  return withTimeout(
    new Promise<void>((resolve) => dc.stateChanged.subscribe((s) => s === "open" && resolve())),
    ms,
    "open data channel",
  );
}
