// One measured step and how its figures are derived from the raw window.
import { Histogram, percentileOf } from "../lib/histogram.ts";
import type { LateJoinOutcome, LoadWindow } from "../load/ipc.ts";

export interface StepResult {
  scenario: string;
  target: "focus" | "janus";
  x: number;
  participants: number;
  publishers: number;
  subscriptions: number;
  failures: string[];
  /** What the SUT reported after set-up (error replies, hangups), at most 20. */
  problems: string[];
  /** Measurement window, s. */
  seconds: number;
  /** CPU of the SUT in cores during the window (1 = one core busy). */
  sutCores: number;
  /** CPU of the load generator in cores during the window. */
  loadCores: number;
  forwardedPps: number;
  forwardedMbps: number;
  ppsPerCore: number;
  mbpsPerCore: number;
  /** Fraction of the expected packets that never arrived. */
  loss: number;
  outOfOrder: number;
  duplicates: number;
  delayP50Ms: number | undefined;
  delayP99Ms: number | undefined;
  keyframeP50Ms: number | undefined;
  keyframeP99Ms: number | undefined;
  /** Subscriptions that never saw a key frame. */
  keyframesMissing: number;
  /**
   * CPU (cores) of the busiest load core (its processes added up) from the start of the subscribe phase to the last
   * first key frame: near 1, the load's own answers held the joins up (join → keyframe is then
   * partly the load generator's).
   */
  joinLoadCores?: number | undefined;
  /** The load processes' largest event-loop delay p99 (ms) from the subscribe phase's start to the window. */
  joinLoopP99Ms?: number | undefined;
  /**
   * The focus's media threads' event-loop utilisation (busy share of wall time, their mean)
   * while the participants joined, and in the window; absent for Janus.
   */
  sutLoopBusyJoins?: number | undefined;
  sutLoopBusy?: number | undefined;
  /**
   * Participants joining the running call one at a time after the window (load/lateJoin.ts):
   * from the join's first request to the first key frame of each publisher, p50 / p99 ms.
   */
  lateJoinP50Ms?: number | undefined;
  lateJoinP99Ms?: number | undefined;
  /** Publishers of which a late joiner saw no key frame in time, and late joins that failed. */
  lateJoinMissing?: number | undefined;
  /** The late joiners' layer switches: request → first key frame on the new layer, ms. */
  layerSwitchP50Ms?: number | undefined;
  layerSwitchP99Ms?: number | undefined;
  /** Publishers of which no key frame came on the new layer in time. */
  layerSwitchMissing?: number | undefined;
  lateJoinFailures?: string[] | undefined;
  /** (SUT RSS at the end - RSS before any participant) / participants, MiB. */
  memPerParticipantMiB: number;
  sutRssMiB: number;
  cpuPerParticipant: number;
  sentPps: number;
  /** Times a subscriber's video of one publisher moved to another layer, in the window. */
  layerSwitches: number;
  /** Share of the received video packets per layer, in the profile's order (f, h, q). */
  layerMix: number[];
  /** The cores the SUT and the load processes were allowed to run on (from /proc). */
  pinned?: { sut: string; load: string };
  /** Datagrams dropped in the window because the SUT did not read its sockets in time. */
  sutUdpDrops?: number | undefined;
  /** Same at the load generator's sockets (the probe's included). */
  loadUdpDrops?: number | undefined;
  /** Subscribed streams of which nothing arrived in the window (counted in `loss`). */
  silentStreams?: number | undefined;
  /** Packets/s in and out by the SUT's own counters (our focus only). */
  sutOwn?: { packetsIn: number; packetsOut: number } | undefined;
  /** 99th percentile of the load generator's event-loop delay in the window, ms. */
  loadLoopP99Ms: number;
  /**
   * True when a load core was >= 90% busy or the load's sockets dropped more than 1% of
   * what it received: figures may be load-bound (loadBound).
   */
  loadSaturated: boolean;
  /** CPU of the load processes per packet they sent or received, us (the load's own cost). */
  loadUsPerPacket: number;
  /** The delay probe (docs/benchmark.md): its subscriber's delay, loss and packets. */
  probe?: ProbeResult | undefined;
  error?: string;
}

export interface ProbeResult {
  delayP50Ms: number | undefined;
  delayP99Ms: number | undefined;
  loss: number;
  packets: number;
  /** 99th percentile of the probe process's event-loop delay, ms. */
  loopP99Ms: number;
  /** Why the probe has no figures (failed join), if so. */
  failure?: string | undefined;
}

export interface StepRaw {
  scenario: string;
  target: "focus" | "janus";
  x: number;
  participants: number;
  publishers: number;
  subscriptions: number;
  failures: string[];
  problems: string[];
  window: LoadWindow;
  keyframeMs: number[];
  joinLoadCores?: number | undefined;
  joinLoopP99Ms?: number | undefined;
  sutLoopBusyJoins?: number | undefined;
  sutLoopBusy?: number | undefined;
  sutCores: number;
  sutRssIdleBytes: number;
  sutRssEndBytes: number;
  sutOwn: { packetsIn: number; packetsOut: number } | undefined;
  /** CPU of the busiest load core (its processes added up), in cores. */
  loadBusiest: number;
  loadProcesses: number;
  /** The cores the SUT and the load processes were allowed to run on (from /proc). */
  pinned: { sut: string; load: string };
  /** Datagrams the kernel dropped in the SUT's namespace because a socket buffer was full. */
  sutUdpDrops: number | undefined;
  /** The delay probe's window, when it ran. */
  probe?: LoadWindow | undefined;
  probeFailures?: string[] | undefined;
  /** Datagrams dropped in the window at the load processes' sockets (they read too late). */
  loadUdpDrops?: number | undefined;
  /** The late joins after the window, when they ran. */
  lateJoin?: LateJoinOutcome | undefined;
}

/** The probe's figures from its window. */
export function probeResult(w: LoadWindow | undefined, failures: string[] = []): ProbeResult {
  if (!w || failures.length) {
    return {
      delayP50Ms: undefined,
      delayP99Ms: undefined,
      loss: 1,
      packets: 0,
      loopP99Ms: 0,
      failure: failures[0] ?? "no window",
    };
  }
  const d = Histogram.from(w.delay);
  return {
    delayP50Ms: d.percentile(0.5),
    delayP99Ms: d.percentile(0.99),
    loss: w.expected > 0 ? w.lost / w.expected : 1,
    packets: w.packets,
    loopP99Ms: w.loadLoopDelayP99Ms,
  };
}

/**
 * Whether a step measured the load generator rather than the SUT: a load process at >= 90%
 * of its core, or its sockets dropping more than 1% of the packets it received. The second
 * catches a load process that gets too little of its core (a shared machine): it then reads
 * a backlog of old packets, the newest are dropped, and the window's counter ranges can look
 * complete while seconds behind.
 */
export function loadBound(busiestCores: number, drops: number | undefined, packets: number) {
  return busiestCores >= 0.9 || (drops ?? 0) > 0.01 * Math.max(1, packets);
}

/** Fractions of a list of counts (all zero when the list sums to zero). */
export function mixOf(counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + (b ?? 0), 0);
  return counts.map((c) => (total > 0 ? (c ?? 0) / total : 0));
}

export function stepResult(r: StepRaw): StepResult {
  const s = r.window.ms / 1000;
  const w = r.window;
  const delay = Histogram.from(w.delay);
  const pps = w.packets / s;
  const mbps = (w.bytes * 8) / s / 1e6;
  const perCore = (v: number) => (r.sutCores > 0 ? v / r.sutCores : 0);
  return {
    scenario: r.scenario,
    target: r.target,
    x: r.x,
    participants: r.participants,
    publishers: r.publishers,
    subscriptions: r.subscriptions,
    failures: r.failures,
    problems: r.problems,
    seconds: s,
    sutCores: r.sutCores,
    loadCores: w.loadCpuCores,
    forwardedPps: pps,
    forwardedMbps: mbps,
    ppsPerCore: perCore(pps),
    mbpsPerCore: perCore(mbps),
    loss: w.expected > 0 ? w.lost / w.expected : 1,
    outOfOrder: w.outOfOrder,
    duplicates: w.duplicates,
    delayP50Ms: delay.percentile(0.5),
    delayP99Ms: delay.percentile(0.99),
    keyframeP50Ms: percentileOf(r.keyframeMs, 0.5),
    keyframeP99Ms: percentileOf(r.keyframeMs, 0.99),
    keyframesMissing: Math.max(0, r.subscriptions - r.keyframeMs.length),
    joinLoadCores: r.joinLoadCores,
    joinLoopP99Ms: r.joinLoopP99Ms,
    sutLoopBusyJoins: r.sutLoopBusyJoins,
    sutLoopBusy: r.sutLoopBusy,
    ...(r.lateJoin
      ? {
          lateJoinP50Ms: percentileOf(r.lateJoin.keyframeMs, 0.5),
          lateJoinP99Ms: percentileOf(r.lateJoin.keyframeMs, 0.99),
          lateJoinMissing: r.lateJoin.missing,
          layerSwitchP50Ms: percentileOf(r.lateJoin.switchMs, 0.5),
          layerSwitchP99Ms: percentileOf(r.lateJoin.switchMs, 0.99),
          layerSwitchMissing: r.lateJoin.switchMissing,
          lateJoinFailures: r.lateJoin.failures,
        }
      : {}),
    memPerParticipantMiB:
      r.participants > 0
        ? Math.max(0, r.sutRssEndBytes - r.sutRssIdleBytes) / r.participants / 2 ** 20
        : 0,
    sutRssMiB: r.sutRssEndBytes / 2 ** 20,
    cpuPerParticipant: r.participants > 0 ? r.sutCores / r.participants : 0,
    sentPps: w.sentPackets / s,
    layerMix: mixOf(w.byStream.slice(1)),
    layerSwitches: w.layerSwitches,
    loadSaturated: loadBound(r.loadBusiest, r.loadUdpDrops, w.packets),
    loadLoopP99Ms: w.loadLoopDelayP99Ms,
    loadUsPerPacket:
      w.packets + w.sentPackets > 0
        ? (w.loadCpuCores * w.ms * 1000) / (w.packets + w.sentPackets)
        : 0,
    probe: r.probe || r.probeFailures?.length ? probeResult(r.probe, r.probeFailures) : undefined,
    sutOwn: r.sutOwn,
    sutUdpDrops: r.sutUdpDrops,
    loadUdpDrops: r.loadUdpDrops,
    silentStreams: w.silentStreams,
    pinned: r.pinned,
  };
}
