// The load generator process: joins the planned participants to the system under test,
// sends synthetic media at real packet rates and measures what the subscribers receive.
// Driven by the benchmark runner over Node IPC (see ipc.ts).
import { monitorEventLoopDelay } from "node:perf_hooks";
import { sendQueueDropped } from "@matrix-focus/focus";
import { runDefaults } from "../config/defaults.ts";
import { streamPps } from "../config/scenarios.ts";
import { Histogram } from "../lib/histogram.ts";
import { nowMs } from "./clock.ts";
import { CpuTrace } from "./cpuTrace.ts";
import { FocusTarget } from "./focus/FocusTarget.ts";
import type { FromLoad, LateJoinPlan, LoadPlan, LoadWindow, ToLoad } from "./ipc.ts";
import { JanusTarget } from "./janus/JanusTarget.ts";
import { lateJoins } from "./lateJoin.ts";
import { Pacer } from "./media/Pacer.ts";
import { ReceiveStats } from "./media/ReceiveStats.ts";
import { SyntheticPublisher } from "./media/SyntheticPublisher.ts";
import {
  type LayerRid,
  type PublishedFeed,
  receiveCounters,
  type Subscription,
  type TargetClient,
} from "./targets.ts";

function send(m: FromLoad): void {
  process.send?.(m);
}

interface SubscriberState {
  stats: ReceiveStats;
  sub: Subscription;
  feeds: number[];
  room: number;
  index: number;
  layer: LayerRid;
  /** Only watches (publishes nothing): may be replaced by churn. */
  watcher: boolean;
  /** When its subscription was set up (load clock). */
  joinedAt: number;
}

let target: TargetClient | undefined;
const publishers: SyntheticPublisher[] = [];
const feeds = new Map<number, PublishedFeed>();
const subscribers: SubscriberState[] = [];
/** Subscribers that churn replaced during the current window (their counts still count). */
let retired: SubscriberState[] = [];
let churn: NodeJS.Timeout | undefined;
let churnBusy = false;
let nextIndex = 0;
let pacer: Pacer | undefined;
let currentPlan: LoadPlan | undefined;
/** This process's CPU from the start of the subscribe phase to the first window. */
const joinCpu = new CpuTrace(nowMs);
let subscribeStartedAt = 0;
let subscribeEndedAt = 0;
/** Its event-loop delay p99 (ms) from the start of the subscribe phase to the first window. */
let joinLoopP99Ms: number | undefined;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let windowStart = {
  at: 0,
  cpu: process.cpuUsage(),
  sent: 0,
  bytes: 0,
  plis: 0,
  sendDrops: 0,
  verified: 0,
  rejected: 0,
};

async function limited<T>(items: T[], n: number, gapMs: number, f: (t: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await f(item);
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, n) }, worker));
}

/** Phase 1: join this process's publishers and start their media. */
async function publish(plan: LoadPlan): Promise<void> {
  currentPlan = plan;
  const started = nowMs();
  const failures: string[] = [];
  target =
    plan.target.kind === "janus"
      ? new JanusTarget({
          apiUrl: plan.target.apiUrl,
          localAddress: plan.target.localAddress,
          profile: plan.profile,
          connectTimeoutMs: plan.connectTimeoutMs,
          fallbackUs: plan.janusFallbackUs,
          mediaPath: plan.mediaPath,
        })
      : new FocusTarget({
          localAddress: plan.target.localAddress,
          profile: plan.profile,
          connectTimeoutMs: plan.connectTimeoutMs,
          mediaPath: plan.mediaPath,
          signal: (sender, event) =>
            send({ type: "signal", from: sender.deviceId, payload: { sender, event } }),
        });
  const t = target;
  pacer = new Pacer(plan.profile, publishers, plan.framePhases);
  pacer.start();
  for (const r of plan.rooms) await t.createRoom(r.room);
  const pubJobs = plan.rooms.flatMap((r) => r.publishers.map((p) => ({ room: r.room, p })));
  await limited(pubJobs, plan.joinConcurrency, plan.joinGapMs, async ({ room, p }) => {
    const pub = new SyntheticPublisher(p, plan.profile, plan.mediaPath !== "werift");
    try {
      feeds.set(p, await t.publish(room, p, pub));
      publishers.push(pub);
    } catch (e) {
      failures.push(`publisher ${p}: ${(e as Error).message}`);
    }
  });
  send({
    type: "published",
    feeds: [...feeds.values()].map((f) => [f.publisher, f.feed]),
    failures,
    ms: nowMs() - started,
  });
}

/** Phase 2: join this process's subscribers to every feed (of any load process). */
async function subscribe(allFeeds: [number, string][]): Promise<void> {
  const plan = currentPlan;
  const t = target;
  if (!plan || !t) throw new Error("subscribe before publish");
  const started = nowMs();
  subscribeStartedAt = started;
  joinCpu.start();
  loopDelay.reset();
  joinLoopP99Ms = undefined;
  const failures: string[] = [];
  for (const [publisher, feed] of allFeeds) {
    if (!feeds.has(publisher)) feeds.set(publisher, { feed, publisher, close: async () => {} });
  }
  const subJobs = plan.rooms.flatMap((r) => r.subscribers.map((s) => ({ room: r.room, s })));
  const publishing = new Set(plan.rooms.flatMap((r) => r.publishers));
  nextIndex = plan.churnIndexBase;
  await limited(subJobs, plan.joinConcurrency, plan.joinGapMs, async ({ room, s }) => {
    try {
      await join(t, room, s.index, s.feeds, s.layer, !publishing.has(s.index));
    } catch (e) {
      failures.push(`subscriber ${s.index}: ${(e as Error).message}`);
    }
  });
  subscribeEndedAt = nowMs();
  if (plan.churnEveryMs > 0) {
    churn = setInterval(() => {
      if (!churnBusy) void churnOnce(t, failures);
    }, plan.churnEveryMs);
  }
  send({
    type: "ready",
    result: {
      publishers: publishers.length,
      subscriptions: subscribers.reduce((n, s) => n + s.feeds.length, 0),
      failures,
      setupMs: nowMs() - started,
    },
  });
}

async function join(
  t: TargetClient,
  room: number,
  index: number,
  feedIds: number[],
  layer: LayerRid,
  watcher: boolean,
): Promise<void> {
  const stats = new ReceiveStats();
  const wanted = feedIds.map((f) => feeds.get(f)).filter((f) => f !== undefined);
  const sub = await t.subscribe(room, index, wanted, layer, stats);
  subscribers.push({
    stats,
    sub,
    feeds: wanted.map((f) => f.publisher),
    room,
    index,
    layer,
    watcher,
    joinedAt: nowMs(),
  });
}

/** Churn: the longest-present watcher leaves and a new one joins in its place. */
async function churnOnce(t: TargetClient, failures: string[]): Promise<void> {
  const i = subscribers.findIndex((s) => s.watcher);
  if (i < 0) return;
  churnBusy = true;
  const [old] = subscribers.splice(i, 1);
  if (!old) return;
  retired.push(old);
  try {
    await old.sub.close();
    await join(t, old.room, nextIndex++, old.feeds, old.layer, true);
  } catch (e) {
    failures.push(`churn join: ${(e as Error).message}`);
    t.problems.push(`churn join failed: ${(e as Error).message}`);
  } finally {
    churnBusy = false;
  }
}

function sentTotals() {
  let sent = 0;
  let bytes = 0;
  let plis = 0;
  for (const p of publishers) {
    sent += p.counters.packets;
    bytes += p.counters.bytes;
    plis += p.counters.plis;
  }
  // datagrams of the native send path the kernel did not take (a full socket buffer)
  return { sent, bytes, plis, sendDrops: sendQueueDropped() };
}

function measureStart(): void {
  if (joinCpu.running) joinLoopP99Ms = loopDelay.percentile(99) / 1e6;
  joinCpu.stop();
  for (const s of subscribers) s.stats.reset();
  retired = [];
  loopDelay.reset();
  windowStart = {
    at: nowMs(),
    cpu: process.cpuUsage(),
    ...sentTotals(),
    ...receiveCounters(),
  };
}

function measureStop(): void {
  const ms = nowMs() - windowStart.at;
  const cpu = process.cpuUsage(windowStart.cpu);
  const totals = sentTotals();
  const delay = new Histogram();
  const w: LoadWindow = {
    ms,
    packets: 0,
    bytes: 0,
    lost: 0,
    expected: 0,
    outOfOrder: 0,
    duplicates: 0,
    unmarked: 0,
    delay: delay.toData(),
    byStream: Array.from({ length: 1 + (currentPlan?.profile.layers.length ?? 0) }, () => 0),
    layerSwitches: 0,
    sentPackets: totals.sent - windowStart.sent,
    sentBytes: totals.bytes - windowStart.bytes,
    plisReceived: totals.plis - windowStart.plis,
    sendDrops: totals.sendDrops - windowStart.sendDrops,
    loadCpuCores: (cpu.user + cpu.system) / 1000 / ms,
    loadRssBytes: process.memoryUsage.rss(),
    loadLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    loadLoopDelayMaxMs: loopDelay.max / 1e6,
    verifiedPackets: receiveCounters().verified - windowStart.verified,
    rejectedPackets: receiveCounters().rejected - windowStart.rejected,
  };
  const problems = target?.problems.slice(0, 20) ?? [];
  if (w.rejectedPackets) {
    problems.unshift(
      `${w.rejectedPackets} of ${w.verifiedPackets} packets checked in full failed SRTP authentication`,
    );
  }
  const keyframeMs: number[] = [];
  let lastJoinKeyframeAt = subscribeStartedAt;
  for (const s of [...subscribers, ...retired]) {
    const snap = s.stats.snapshot();
    w.packets += snap.packets;
    w.bytes += snap.bytes;
    w.lost += snap.lost;
    w.expected += snap.expected;
    w.outOfOrder += snap.outOfOrder;
    w.duplicates += snap.duplicates;
    w.unmarked += snap.unmarked;
    w.layerSwitches += snap.layerSwitches;
    delay.merge(snap.delay);
    snap.byStream.forEach((n, i) => {
      w.byStream[i] = (w.byStream[i] ?? 0) + n;
    });
    for (const f of s.feeds) {
      const at = s.stats.firstKeyframeAt.get(f);
      if (at === undefined) continue;
      keyframeMs.push(at - s.sub.requestedAt);
      const r = s.sub.requestedAt;
      if (r >= subscribeStartedAt && r <= subscribeEndedAt) {
        lastJoinKeyframeAt = Math.max(lastJoinKeyframeAt, at);
      }
    }
  }
  w.delay = delay.toData();
  addSilentStreams(w);
  // how busy this process was while the subscribe phase's first key frames were under way
  const joinLoadCores = joinCpu.busyShare(subscribeStartedAt, lastJoinKeyframeAt);
  send({ type: "measured", window: w, keyframeMs, joinLoadCores, joinLoopP99Ms, problems });
}

/**
 * Counts the streams of which nothing arrived at a subscriber that was there for the whole
 * window (and some time before: `silentGraceMs`), as lost at the profile's packet rate: a
 * stream that never arrives leaves no counter range, so it would not show as loss otherwise.
 */
function addSilentStreams(w: LoadWindow): void {
  const profile = currentPlan?.profile;
  if (!profile) return;
  const s = w.ms / 1000;
  let silent = 0;
  for (const sub of subscribers) {
    if (sub.joinedAt > windowStart.at - runDefaults.silentGraceMs) continue;
    for (const f of sub.feeds) {
      if (!sub.stats.audioFrom.has(f)) {
        silent++;
        w.lost += Math.round(streamPps(profile, "audio") * s);
        w.expected += Math.round(streamPps(profile, "audio") * s);
      }
      if (!sub.stats.videoFrom.has(f)) {
        silent++;
        w.lost += Math.round(streamPps(profile, sub.layer) * s);
        w.expected += Math.round(streamPps(profile, sub.layer) * s);
      }
    }
  }
  w.silentStreams = silent;
}

/** Participants join the running call one after another, each measured and left again. */
async function runLateJoins(plan: LateJoinPlan): Promise<void> {
  const p = currentPlan;
  if (!p || !target) throw new Error("late joins before publish");
  const r = await lateJoins(
    { target, profile: p.profile, feeds, publishers, leanSend: p.mediaPath !== "werift" },
    plan,
  );
  send({ type: "lateJoined", ...r });
}

async function close(): Promise<void> {
  clearInterval(churn);
  pacer?.stop();
  await Promise.allSettled(subscribers.map((s) => s.sub.close()));
  await Promise.allSettled([...feeds.values()].map((f) => f.close()));
  await target?.close();
  send({ type: "closed" });
  setTimeout(() => process.exit(0), 100);
}

process.on("message", (raw) => {
  const m = raw as ToLoad;
  const run = async () => {
    switch (m.type) {
      case "publish":
        return publish(m.plan);
      case "subscribe":
        return subscribe(m.feeds);
      case "measureStart":
        return measureStart();
      case "measureStop":
        return measureStop();
      case "lateJoins":
        return runLateJoins(m.plan);
      case "close":
        return close();
      case "signal":
        return (target as FocusTarget | undefined)?.onSignal?.(m.to, m.payload);
    }
  };
  run().catch((e: Error) => send({ type: "error", message: e.stack ?? e.message }));
});
process.on("disconnect", () => process.exit(0));
// exit normally on SIGTERM, so that a CPU profile (MF_BENCH_LOAD_NODE_FLAGS=--cpu-prof) is written
process.on("SIGTERM", () => process.exit(0));
