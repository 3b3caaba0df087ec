// Every default of the benchmark, in one place. Rates follow what a browser sends for a
// 720p camera with three simulcast layers (protocol notes: f ~1.7 Mb/s, h ~300 kb/s,
// q ~120 kb/s) plus Opus.

/** When publishers send within the frame period: each at its own offset, or all at once. */
export type FramePhases = "spread" | "aligned";

/** One simulcast layer the synthetic publisher sends. */
export interface LayerSpec {
  rid: "f" | "h" | "q";
  /** Target bitrate of the layer, bits/s (payload, before RTP/SRTP overhead). */
  bitrate: number;
  width: number;
  height: number;
}

export interface MediaProfile {
  fps: number;
  /** Highest to lowest, as a browser lists them in `a=simulcast:send f;h;q`. */
  layers: LayerSpec[];
  /** Largest RTP payload of a video packet, bytes. */
  maxPayload: number;
  /** Opus packets every this many ms. */
  audioFrameMs: number;
  /** Opus payload size, bytes (about 48 kb/s at 20 ms). */
  audioPayload: number;
  /** A publisher sends a keyframe on every layer at least this often, ms. */
  keyframeIntervalMs: number;
  /** Keyframe requests (PLI) closer together than this are answered once, ms. */
  pliMinGapMs: number;
  /**
   * Video leaves at this multiple of the publisher's video bitrate instead of a frame at once,
   * as libwebrtc's pacer sends (pacing factor 2.5, packets released every 5 ms); 0 = each
   * frame in one burst (the load before 2026-12-06). Audio is never held back.
   */
  pacingFactor: number;
  /** The paced sender releases what its budget allows every this many ms. */
  pacingIntervalMs: number;
}

export const mediaProfile: MediaProfile = {
  fps: 30,
  layers: [
    { rid: "f", bitrate: 1_700_000, width: 1280, height: 720 },
    { rid: "h", bitrate: 300_000, width: 640, height: 360 },
    { rid: "q", bitrate: 120_000, width: 320, height: 180 },
  ],
  maxPayload: 1_100,
  audioFrameMs: 20,
  audioPayload: 120,
  keyframeIntervalMs: 3_000,
  pliMinGapMs: 200,
  pacingFactor: 2.5,
  pacingIntervalMs: 5,
};

export interface RunDefaults {
  /** Core the system under test is pinned to (taskset -c). */
  sutCore: number;
  /**
   * One load generator process is started per entry, pinned to that core; a core listed twice
   * runs two (docs/decisions/bench-method.md, item 14: arrivals from independent processes).
   */
  loadCores: number[];
  /** Media flows this long before the measurement window opens, ms. */
  warmupMs: number;
  /** Length of the measurement window, ms. */
  measureMs: number;
  /** Same, for `--quick`. */
  quickWarmupMs: number;
  quickMeasureMs: number;
  /** How long every participant of a step may take to connect, ms. */
  connectTimeoutMs: number;
  /** A step whose loss is at or above this fraction is marked as overloaded. */
  lossLimit: number;
  /** Joins are spread out by this much, ms, so set-up does not become the benchmark. */
  joinGapMs: number;
  /** How many joins each load process has in flight at once. */
  joinConcurrency: number;
  /** The pacer's timer period, ms, and how many missed frames it sends late at most. */
  pacerTickMs: number;
  pacerMaxCatchUp: number;
  /**
   * When publishers send their frames within the frame period (load/media/Pacer.ts): each at
   * its own offset ("spread", as independent cameras do) or all at once ("aligned").
   */
  framePhases: FramePhases;
  /** `lifetime` of the invites sent to our focus, ms. */
  inviteLifetimeMs: number;
  /**
   * No new step starts after this much time has passed since the start of the run, ms
   * (a step in progress finishes), so that `--quick` stays under 3 minutes and a full run
   * under 15.
   */
  budgetMs: number;
  quickBudgetMs: number;
  /** A scenario's ladder stops for a target after a step that lost this fraction (saves time). */
  stopLadderLoss: number;
  /** The delay probe (docs/benchmark.md): its own small load process beside the load. */
  probe: ProbeDefaults;
  /** Participants joining the running call after the window (load/lateJoin.ts). */
  lateJoin: LateJoinDefaults;
  /**
   * The load generator's receive path (ipc.ts MediaPath): "intercept", the focus's RtpIntercept
   * (every packet decrypted and authenticated; about as cheap as "lean", which decrypts only
   * the marker: 13-14 vs 12-13 us per packet, docs/benchmark.md), or werift's own (~60 us).
   */
  loadMediaPath: "lean" | "intercept" | "werift";
  /**
   * Receive buffer of the load's sockets (lean path), bytes; the kernel doubles it and caps it
   * at net.core.rmem_max. As the focus's: bursts wait instead of being dropped.
   */
  loadReceiveBufferBytes: number;
  /**
   * Packets/s (sent + received) one load process drives with the lean media path before its
   * core is busy: about 12-15 us per packet at large steps measured on a 2-core EPYC
   * (docs/benchmark.md). The full ladders stay under it (scenarios.test.ts).
   */
  loadCorePps: number;
  /**
   * A subscriber set up at least this long before the window opened is expected to receive
   * every stream it subscribed to; a stream of which nothing arrives counts as lost.
   */
  silentGraceMs: number;
  /**
   * Most participants our focus takes in one conference by default (its conference limits,
   * maxParticipantsPerConference); every step's rooms plus the probe stay within it.
   */
  focusMaxParticipantsPerConference: number;
}

export interface ProbeDefaults {
  enabled: boolean;
  /** Scheduling priority of the probe process (nice; negative = ahead of the load process). */
  nice: number;
  /** Participant indices of the probe's publisher and subscriber (apart from any load's). */
  publisherIndex: number;
  subscriberIndex: number;
  /** The layer the probe subscriber receives (the lowest: few packets, an idle event loop). */
  layer: "f" | "h" | "q";
}

export interface LateJoinDefaults {
  /** How many join one after another (in the probe's process, or the first load process). */
  count: number;
  /** Participant index of the first (apart from any load's and the probe's). */
  indexBase: number;
  /** How long one waits for its first key frames, ms. */
  timeoutMs: number;
  /** Pause after one has left, before the next joins, ms. */
  gapMs: number;
}

export const runDefaults: RunDefaults = {
  sutCore: 0,
  loadCores: [1, 1],
  warmupMs: 4_000,
  measureMs: 10_000,
  quickWarmupMs: 2_000,
  quickMeasureMs: 5_000,
  connectTimeoutMs: 30_000,
  lossLimit: 0.01,
  joinGapMs: 20,
  joinConcurrency: 4,
  pacerTickMs: 1,
  pacerMaxCatchUp: 3,
  framePhases: "spread",
  inviteLifetimeMs: 60_000,
  stopLadderLoss: 0.2,
  budgetMs: 13.5 * 60_000,
  quickBudgetMs: 150_000,
  loadMediaPath: "intercept",
  loadReceiveBufferBytes: 1 << 20,
  loadCorePps: 60_000,
  silentGraceMs: 2_000,
  focusMaxParticipantsPerConference: 100,
  probe: {
    enabled: true,
    nice: -10,
    publisherIndex: 900_000,
    subscriberIndex: 900_001,
    layer: "q",
  },
  lateJoin: {
    count: 3,
    indexBase: 910_000,
    timeoutMs: 5_000,
    gapMs: 300,
  },
};

export interface NetnsDefaults {
  /** Namespace names are this prefix + the benchmark's pid, so runs never collide. */
  namePrefix: string;
  /** The /30 used between the host and the namespace: host = .1, namespace = .2. */
  subnetPrefix: string;
}

export const netnsDefaults: NetnsDefaults = {
  namePrefix: "mfbench",
  subnetPrefix: "10.213",
};

export interface JanusDefaults {
  binary: string;
  /** Plugins/transports folders of the Debian package. */
  pluginsDir: string;
  transportsDir: string;
  loggersDir: string;
  /** Port of the HTTP API inside the namespace. */
  httpPort: number;
  /** RTP port range Janus uses inside the namespace. */
  rtpPortRange: [number, number];
  /**
   * A subscriber falls back to a lower layer after this long without packets on its layer, ms.
   * Janus's default is 250 ms; we use the layer timeout of our focus (media defaults,
   * layerTimeoutMs) so that both react to a stalled layer alike.
   */
  layerFallbackMs: number;
  /** How long Janus may take to start answering its API, ms. */
  startTimeoutMs: number;
}

export const janusDefaults: JanusDefaults = {
  binary: "/usr/bin/janus",
  pluginsDir: "/usr/lib/x86_64-linux-gnu/janus/plugins",
  transportsDir: "/usr/lib/x86_64-linux-gnu/janus/transports",
  loggersDir: "/usr/lib/x86_64-linux-gnu/janus/loggers",
  httpPort: 8088,
  rtpPortRange: [20_000, 40_000],
  startTimeoutMs: 15_000,
  layerFallbackMs: 1_500,
};
