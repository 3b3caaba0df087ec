// What the load generator needs from a system under test: rooms, publishing and
// subscribing. One implementation per target (our focus, Janus VideoRoom).
import { RtpIntercept } from "@matrix-focus/focus";
import type { RTCPeerConnection, RtpPacket } from "werift";
import { runDefaults } from "../config/defaults.ts";
import { nowMs } from "./clock.ts";
import type { MediaPath } from "./ipc.ts";
import type { ReceiveStats } from "./media/ReceiveStats.ts";
import { enlargeReceiveBuffers, RtpIn, rtpInTotals } from "./media/RtpIn.ts";
import type { SyntheticPublisher } from "./media/SyntheticPublisher.ts";

export type LayerRid = "f" | "h" | "q";

export interface PublishedFeed {
  /** The target's id of the feed (Janus feed id, our focus's stream id). */
  feed: string;
  /** The load generator's publisher index (the bench marker's `publisher`). */
  publisher: number;
  close(): Promise<void>;
}

export interface Subscription {
  /** When the subscribing participant sent its first request, ms (load clock, clock.ts). */
  requestedAt: number;
  /** Asks for another layer of every video it receives; resolves once the request is sent. */
  switchLayer(layer: LayerRid): Promise<void>;
  close(): Promise<void>;
}

export interface TargetClient {
  /** Prepares room `room` (a call); idempotent. */
  createRoom(room: number): Promise<void>;
  /** Joins `room` as participant `index` and publishes simulcast video + audio. */
  publish(room: number, index: number, publisher: SyntheticPublisher): Promise<PublishedFeed>;
  /** Joins `room` as participant `index` (who may also publish) and receives `feeds`. */
  subscribe(
    room: number,
    index: number,
    feeds: PublishedFeed[],
    layer: LayerRid,
    stats: ReceiveStats,
  ): Promise<Subscription>;
  /** Problems the SUT reported after set-up (error replies, hangups, failed renegotiations). */
  readonly problems: string[];
  close(): Promise<void>;
}

/**
 * Feeds what `pc` receives into `stats`: through werift's path until `lean()` is called once
 * the connection is up, then through the chosen media path: "lean" (RtpIn: every RTP datagram,
 * only the payload's first bytes decrypted) or "intercept" (the focus's RtpIntercept: each
 * SSRC werift routed once, decrypted and authenticated in full).
 */
const intercepts: RtpIntercept[] = [];

/** Packets the receive paths of this process authenticated in full, and those that failed. */
export function receiveCounters(): { verified: number; rejected: number } {
  let verified = rtpInTotals.verified;
  let rejected = rtpInTotals.rejected;
  for (const i of intercepts) {
    verified += i.delivered + i.rejected;
    rejected += i.rejected;
  }
  return { verified, rejected };
}

export function receiveInto(pc: RTCPeerConnection, stats: ReceiveStats, path: MediaPath) {
  const dtls = pc.dtlsTransports[0];
  const intercept = path === "intercept" ? new RtpIntercept() : undefined;
  if (intercept) intercepts.push(intercept);
  const sink = (p: RtpPacket) => {
    stats.onPayload(p.payload, p.payload.length, nowMs());
    return true;
  };
  dtls?.onRtp.subscribe((rtp) => {
    stats.onRtp(rtp);
    intercept?.accept(rtp.header.ssrc, sink);
  });
  return {
    lean(): void {
      if (path === "lean") {
        new RtpIn((head, bytes, at) => stats.onPayload(head, bytes, at), {
          now: nowMs,
          receiveBufferBytes: runDefaults.loadReceiveBufferBytes,
        }).install(pc);
      } else if (intercept && dtls) {
        enlargeReceiveBuffers(pc, runDefaults.loadReceiveBufferBytes);
        intercept.install(pc);
      }
    },
  };
}
