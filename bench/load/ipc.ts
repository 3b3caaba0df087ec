// Messages between the benchmark runner and the load generator process (Node IPC).
import type { FramePhases, LateJoinDefaults, MediaProfile } from "../config/defaults.ts";
import type { HistogramData } from "../lib/histogram.ts";
import type { LayerRid } from "./targets.ts";

export type TargetSpec =
  | { kind: "janus"; apiUrl: string; localAddress: string }
  | { kind: "focus"; localAddress: string };

export interface SubscriberPlan {
  /** Participant index (shared with its publisher side when it also publishes). */
  index: number;
  /** Indices of the publishers it receives. */
  feeds: number[];
  layer: LayerRid;
}

export interface RoomPlan {
  room: number;
  publishers: number[];
  subscribers: SubscriberPlan[];
}

export interface LoadPlan {
  target: TargetSpec;
  rooms: RoomPlan[];
  profile: MediaProfile;
  joinGapMs: number;
  connectTimeoutMs: number;
  /** Janus's per-subscriber layer fallback, us (the same time our focus waits, see defaults). */
  janusFallbackUs: number;
  /** Indices of watchers that churn adds start here (unique per load process). */
  churnIndexBase: number;
  /** Every this many ms one watcher leaves and a new one joins (0 = no churn). */
  churnEveryMs: number;
  /** How many joins may be in flight at once. */
  joinConcurrency: number;
  /**
   * The load's receive path: lean (RtpIn), intercept (the focus's RtpIntercept) or werift's
   * own; the send path is RtpOut's except with "werift" (for comparisons).
   */
  mediaPath: MediaPath;
  /** When each publisher sends within the frame period (load/media/Pacer.ts). */
  framePhases: FramePhases;
}

export type MediaPath = "lean" | "intercept" | "werift";

export interface LoadWindow {
  ms: number;
  /** Packets and payload+header bytes all subscribers received. */
  packets: number;
  bytes: number;
  lost: number;
  expected: number;
  outOfOrder: number;
  duplicates: number;
  unmarked: number;
  delay: HistogramData;
  /** Packets received per marker stream: [audio, f, h, q] with the default profile. */
  byStream: number[];
  layerSwitches: number;
  /** Packets the publishers sent in the window. */
  sentPackets: number;
  sentBytes: number;
  /** Of those, datagrams the kernel refused (the socket's send buffer full), so never sent. */
  sendDrops?: number;
  plisReceived: number;
  /** CPU the load generator used, in cores (1 = one core busy all the time). */
  loadCpuCores: number;
  loadRssBytes: number;
  /** 99th percentile and maximum of the load generator's event-loop delay, ms. */
  loadLoopDelayP99Ms: number;
  loadLoopDelayMaxMs: number;
  /**
   * Streams (a publisher's audio or video at a subscriber present for the whole window) of
   * which nothing arrived; their packets at the profile's rate are in `lost` and `expected`.
   */
  silentStreams?: number;
  /** Packets the lean receive path checked in full, and those that failed authentication. */
  verifiedPackets?: number;
  rejectedPackets?: number;
}

/** Participants joining the running call one after another (load/lateJoin.ts). */
export interface LateJoinPlan extends LateJoinDefaults {
  room: number;
  /** Publishers each receives. */
  feeds: number[];
  layer: LayerRid;
  /** Whether each also publishes (as the room's participants do in a call). */
  publish: boolean;
}

/** What the late joins of a step saw (load/lateJoin.ts). */
export interface LateJoinOutcome {
  /** Per publisher received: its first key frame's arrival after the join's first request, ms. */
  keyframeMs: number[];
  /** Publishers of which no key frame arrived within the plan's timeout. */
  missing: number;
  /**
   * Per publisher received: once its first key frames were in, the late joiner asked for
   * another layer (f, or q when it had f); from that request to the first key frame on it, ms.
   */
  switchMs: number[];
  /** Publishers of which no key frame came on the asked layer within the plan's timeout. */
  switchMissing: number;
  failures: string[];
}

export interface SetupResult {
  publishers: number;
  subscriptions: number;
  failures: string[];
  setupMs: number;
}

/** Runner -> load generator. */
export type ToLoad =
  | { type: "publish"; plan: LoadPlan }
  | { type: "subscribe"; feeds: [number, string][] }
  | { type: "measureStart" }
  | { type: "measureStop" }
  | { type: "lateJoins"; plan: LateJoinPlan }
  | { type: "close" }
  | { type: "signal"; to: string; payload: unknown };

/** A load process's figures of one window (and, merged over processes, the runner's). */
export interface LoadMeasured {
  window: LoadWindow;
  /** Subscribe phase: from each request to the first key frame of each publisher. */
  keyframeMs: number[];
  /** CPU (cores) from the subscribe phase's start to its last first key frame; merged: the busiest load core's. */
  joinLoadCores: number | undefined;
  /** Event-loop delay p99 (ms) from the subscribe phase's start to the first window; merged: the largest. */
  joinLoopP99Ms: number | undefined;
  problems: string[];
}

/** Load generator -> runner. */
export type FromLoad =
  | { type: "published"; feeds: [number, string][]; failures: string[]; ms: number }
  | { type: "ready"; result: SetupResult }
  | ({ type: "measured" } & LoadMeasured)
  | ({ type: "lateJoined" } & LateJoinOutcome)
  | { type: "closed" }
  | { type: "error"; message: string }
  | { type: "signal"; from: string; payload: unknown };
