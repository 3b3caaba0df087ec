// Every default of the media plane, in one place. Options are documented field by field.

export interface MediaOptions {
  /** Extra host addresses offered as ICE candidates (loopback is excluded by werift otherwise). */
  hostAddresses: string[];
  /** Restricts the local UDP ports used for ICE, inclusive; undefined = any free port. */
  portRange: [number, number] | undefined;
  /** STUN/TURN servers; empty by default (gathering stalls on a public STUN server offline). */
  iceServers: { urls: string; username?: string; credential?: string }[];
  /**
   * A keyframe request (PLI) sent upstream for one layer and not answered by a keyframe is
   * sent again after this long, ms (feedback/KeyframeRequester.ts).
   */
  pliThrottleMs: number;
  /** Two keyframe requests for one layer are never closer together than this, ms. */
  pliMinGapMs: number;
  /**
   * Publishers built on libwebrtc ignore a request less than about 300 ms after the one they
   * answered: such a request, if unanswered, is sent once more when this has passed, ms.
   */
  pliPublisherGapMs: number;
  /** At most this many packets kept per incoming video layer to answer subscriber NACKs. */
  nackCacheSize: number;
  /**
   * Keep at least this long of each incoming video layer for NACKs, ms: copies in one ring of
   * bytes per layer, sized to 1.25 × this at the layer's measured rate (libwebrtc's senders
   * keep max(1 s, 3 RTT)).
   */
  nackHistoryMs: number;
  /** The NACK history of one layer never takes more than this many bytes. */
  nackHistoryMaxBytes: number;
  /** A layer with no packet for this long counts as stopped, ms. */
  layerTimeoutMs: number;
  /** REMB: the estimate the focus starts with, bits/s. */
  rembInitialBps: number;
  /** REMB: the estimate never goes above this, bits/s. */
  rembMaxBps: number;
  /** REMB: how often the focus sends REMB to each publisher, ms. */
  rembIntervalMs: number;
  /** REMB: the estimate = max(initial, received bitrate * this factor), capped at max. */
  rembHeadroom: number;
  /** x-google-start-bitrate (kb/s) written into answers to Chrome publishers; 0 = none. */
  publisherStartKbps: number;
  /** x-google-min-bitrate (kb/s) written into answers to Chrome publishers; 0 = none. */
  publisherMinKbps: number;
  /**
   * Receive buffer asked for each ICE UDP socket, bytes (the kernel caps it at
   * net.core.rmem_max and doubles it); bursts queue there while the event loop is busy instead
   * of being dropped. Not much more: what waits longer than a second is too late for a call.
   * 0 = system default (net.core.rmem_default, often 208 KiB).
   */
  socketReceiveBufferBytes: number;
  /**
   * RTP of known incoming streams bypasses werift's receive routing (webrtc/rtpIntercept.ts).
   * false = every packet through werift (for comparisons).
   */
  interceptRtp: boolean;
  /**
   * A packet with more than twice this many subscribers goes to this many at once and to the
   * rest in slices, between which the event loop reads the sockets (forwarding/FanoutQueue.ts),
   * so that one large fan-out does not hold up the packets of every other call on the thread;
   * up to twice this many (about 1 ms of work at 32) it goes to all at once.
   */
  fanoutInlineSinks: number;
  /**
   * A new video subscription starts from the publisher's last keyframe when that arrived at
   * most this long ago and every packet since is kept (forwarding/keyframeStart.ts), instead
   * of waiting for a new keyframe; 0 turns it off.
   */
  keyframeReplayMaxAgeMs: number;
}

export const mediaDefaults: MediaOptions = {
  hostAddresses: ["127.0.0.1"],
  portRange: undefined,
  iceServers: [],
  pliThrottleMs: 500,
  pliMinGapMs: 200,
  pliPublisherGapMs: 320,
  nackCacheSize: 512,
  nackHistoryMs: 1000,
  nackHistoryMaxBytes: 1024 * 1024,
  layerTimeoutMs: 1500,
  rembInitialBps: 3_000_000,
  rembMaxBps: 10_000_000,
  rembIntervalMs: 500,
  rembHeadroom: 1.5,
  publisherStartKbps: 0,
  publisherMinKbps: 0,
  socketReceiveBufferBytes: 1024 * 1024,
  interceptRtp: true,
  fanoutInlineSinks: 32,
  keyframeReplayMaxAgeMs: 150,
};

/** Loss detection on each incoming stream (NackGenerator); not configurable. */
export const nackDefaults = {
  /** A sequence gap larger than this is treated as a stream restart, not as loss. */
  maxGap: 100,
  /** How many sequence numbers are remembered as missing per stream. */
  maxMissing: 200,
} as const;

/** Fills every option that is not given from mediaDefaults. */
export function mediaOptions(partial: Partial<MediaOptions> = {}): MediaOptions {
  const out = { ...mediaDefaults };
  for (const [k, v] of Object.entries(partial)) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
