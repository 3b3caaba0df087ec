// Runs one step: start the SUT pinned to its core, start the load generator pinned to the
// other, join everyone, let media flow, measure a window, tear both down.
import {
  type FramePhases,
  janusDefaults,
  type LateJoinDefaults,
  type MediaProfile,
  type ProbeDefaults,
  runDefaults,
} from "../config/defaults.ts";
import { participantCount, planRooms, type ScenarioSpec } from "../config/scenarios.ts";
import { asPercent, loopBusy } from "../lib/loopBusy.ts";
import { allowedCpus, coresBetween, sampleProc } from "../lib/proc.ts";
import { processSocketDrops, readUdpCounters } from "../lib/udpStats.ts";
import type { LateJoinOutcome, LoadPlan, MediaPath } from "../load/ipc.ts";
import { type FocusHostOptions, startFocus } from "../sut/focus.ts";
import { startJanus } from "../sut/janus.ts";
import type { Netns } from "../sut/netns.ts";
import type { Sut } from "../sut/Sut.ts";
import { LoadGroup, lateJoinPlan } from "./LoadGroup.ts";
import { reniceProcess } from "./priority.ts";
import { type StepResult, stepResult } from "./results.ts";

export interface StepOptions {
  scenario: ScenarioSpec;
  x: number;
  target: "focus" | "janus";
  ns: Netns;
  profile: MediaProfile;
  warmupMs: number;
  measureMs: number;
  sutCore: number;
  /** One load generator process per listed core. */
  loadCores: number[];
  /** The load generator's media paths (default: runDefaults.loadMediaPath). */
  mediaPath?: MediaPath;
  /** When publishers send within the frame period (default: runDefaults.framePhases). */
  framePhases?: FramePhases;
  /** The delay probe (default: runDefaults.probe). */
  probe?: ProbeDefaults;
  /** Participants joining the running call after the window (default: runDefaults.lateJoin). */
  lateJoin?: LateJoinDefaults;
  /**
   * Nice value for the SUT and the load processes (every thread) from set-up on; the probe
   * stays 5 ahead. Undefined: leave them at the runner's priority.
   */
  nice?: number | undefined;
  /** How to start our focus (baseline module, CPU profile). */
  focusHost?: FocusHostOptions;
  log(line: string): void;
}

/** Packets/s in and out by the SUT's own counters over the window, when it has them. */
function ownRates(
  a: Record<string, number> | undefined,
  b: Record<string, number> | undefined,
  ms: number,
): { packetsIn: number; packetsOut: number } | undefined {
  if (!a || !b) return undefined;
  // the SUT's own reading times when it has them (a saturated focus answers late)
  const span =
    a.sampledAtMs !== undefined && b.sampledAtMs !== undefined ? b.sampledAtMs - a.sampledAtMs : ms;
  if (span <= 0) return undefined;
  const rate = (k: string) => (((b[k] ?? 0) - (a[k] ?? 0)) * 1000) / span;
  return { packetsIn: rate("packetsIn"), packetsOut: rate("packetsOut") };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runStep(o: StepOptions): Promise<StepResult> {
  const rooms = planRooms(o.scenario, o.x);
  const participants = participantCount(rooms);
  const sut: Sut =
    o.target === "janus"
      ? await startJanus(o.ns, o.sutCore)
      : await startFocus(o.ns, o.sutCore, o.focusHost);
  let load: LoadGroup | undefined;
  try {
    await sleep(500);
    const idle = sampleProc(sut.pid);
    load = new LoadGroup(o.loadCores, o.probe ?? runDefaults.probe);
    const l = load;
    l.onSignal = (from, payload) => sut.deliver?.(from, payload);
    sut.onSignal = (to, payload) => l.deliver(to, payload);
    const plan: LoadPlan = {
      target: sut.target,
      rooms,
      profile: o.profile,
      joinGapMs: runDefaults.joinGapMs,
      connectTimeoutMs: runDefaults.connectTimeoutMs,
      joinConcurrency: runDefaults.joinConcurrency,
      churnEveryMs: o.scenario.churnEveryMs ?? 0,
      churnIndexBase: 1_000_000,
      janusFallbackUs: janusDefaults.layerFallbackMs * 1000,
      mediaPath: o.mediaPath ?? runDefaults.loadMediaPath,
      framePhases: o.framePhases ?? runDefaults.framePhases,
    };
    const setupLimit = runDefaults.connectTimeoutMs + participants * 2000;
    const countersJoin = await sut.counters?.().catch(() => undefined);
    const setup = await l.setup(plan, setupLimit);
    const countersJoined = await sut.counters?.().catch(() => undefined);
    o.log(
      `  joined ${setup.publishers} publishers, ${setup.subscriptions} subscriptions in ` +
        `${(setup.setupMs / 1000).toFixed(1)} s` +
        (setup.failures.length ? `; ${setup.failures.length} failed: ${setup.failures[0]}` : ""),
    );
    if (o.nice !== undefined) {
      let threads = reniceProcess(sut.pid, o.nice);
      for (const p of l.procs) threads += reniceProcess(p.pid, o.nice);
      if (l.probe) threads += reniceProcess(l.probe.pid, Math.max(-20, o.nice - 5));
      o.log(`  ${threads} threads of the SUT and the load now at nice ${o.nice}`);
    }
    await sleep(o.warmupMs);
    const countersA = await sut.counters?.("start").catch(() => undefined);
    // read after set-up: right after spawning, taskset may not have applied the mask yet
    const pinned = {
      sut: allowedCpus(sut.pid) ?? "?",
      load: l.procs.map((p) => allowedCpus(p.pid) ?? "?").join(","),
    };
    const udpA = readUdpCounters(o.ns.exec);
    const loadPids = [...l.procs, ...(l.probe ? [l.probe] : [])].map((p) => p.pid);
    const loadDrops = () => loadPids.reduce((n, pid) => n + (processSocketDrops(pid) ?? 0), 0);
    const loadDropsA = loadDrops();
    const a = sampleProc(sut.pid);
    l.measureStart();
    await sleep(o.measureMs);
    const b = sampleProc(sut.pid);
    const udpB = readUdpCounters(o.ns.exec);
    const loadUdpDrops = Math.max(0, loadDrops() - loadDropsA);
    if (loadUdpDrops) o.log(`  the load generator's sockets dropped ${loadUdpDrops} datagrams`);
    const sutUdpDrops =
      udpA && udpB ? Math.max(0, udpB.rcvbufErrors - udpA.rcvbufErrors) : undefined;
    if (sutUdpDrops)
      o.log(`  ${o.target}'s sockets dropped ${sutUdpDrops} datagrams (receive buffer full)`);
    const m = await l.measureStop();
    const { window, busiest, keyframeMs, problems, probe } = m;
    if (window.sendDrops) {
      o.log(
        `  the load generator's sends dropped ${window.sendDrops} datagrams (send buffer full)`,
      );
    }
    const countersB = await sut.counters?.("end").catch(() => undefined);
    const own = ownRates(countersA, countersB, window.ms);
    if (own) {
      const delta = (k: string) => (countersB?.[k] ?? 0) - (countersA?.[k] ?? 0);
      o.log(
        `  ${o.target} counted ${own.packetsIn.toFixed(0)} pkt/s in, ` +
          `${own.packetsOut.toFixed(0)} pkt/s out; in the window ${delta("layerSwitches")} layer ` +
          `switches, ${delta("keyframesRequested")} key frames needed, ${delta("nacksReceived")} NACKs`,
      );
    }
    const sutLoopBusyJoins = loopBusy(countersJoin, countersJoined);
    const sutLoopBusy = loopBusy(countersA, countersB);
    if (sutLoopBusy !== undefined) {
      o.log(
        `  ${o.target}'s event loops busy ${asPercent(sutLoopBusyJoins)} during the joins, ` +
          `${asPercent(sutLoopBusy)} in the window`,
      );
    }
    if (countersB?.loopP99Us !== undefined) {
      const c = countersB;
      o.log(
        `  ${o.target}'s event loop delay p50 ${c.loopP50Us} us, p99 ${c.loopP99Us} us, ` +
          `p99.9 ${c.loopP999Us} us, max ${c.loopMaxUs} us; GC ${c.gcCount} pauses, ` +
          `${c.gcTotalMs} ms in all, longest ${c.gcMaxMs} ms, ${c.gcOver5Ms} over 5 ms`,
      );
    }
    for (const p of problems.slice(0, 3)) o.log(`  reported by ${o.target}: ${p}`);
    if (!a || !b) throw new Error(`${o.target} exited during the measurement:\n${sut.logTail()}`);
    const latePlan = lateJoinPlan(rooms, o.lateJoin ?? runDefaults.lateJoin);
    const late = latePlan
      ? await l.lateJoins(latePlan).catch(
          (e: Error): LateJoinOutcome => ({
            keyframeMs: [],
            missing: 0,
            switchMs: [],
            switchMissing: 0,
            failures: [e.message.split("\n")[0] ?? e.message],
          }),
        )
      : undefined;
    if (late) {
      o.log(
        `  ${latePlan?.count} late joins: first key frames after ` +
          `${late.keyframeMs.map((v) => v.toFixed(0)).join(", ") || "–"} ms` +
          (late.missing ? `; ${late.missing} never came` : "") +
          `; on switching layer after ${late.switchMs.map((v) => v.toFixed(0)).join(", ") || "–"} ms` +
          (late.switchMissing ? ` (${late.switchMissing} never came)` : "") +
          (late.failures.length ? `; failed: ${late.failures[0]}` : ""),
      );
    }
    return stepResult({
      scenario: o.scenario.name,
      target: o.target,
      x: o.x,
      participants,
      publishers: setup.publishers,
      subscriptions: setup.subscriptions,
      failures: setup.failures,
      problems,
      window,
      keyframeMs,
      joinLoadCores: m.joinLoadCores,
      joinLoopP99Ms: m.joinLoopP99Ms,
      sutLoopBusyJoins,
      sutLoopBusy,
      sutCores: coresBetween(a, b),
      sutRssIdleBytes: idle?.rssBytes ?? 0,
      sutRssEndBytes: b.rssBytes,
      sutOwn: own,
      loadBusiest: busiest,
      pinned,
      sutUdpDrops,
      loadProcesses: o.loadCores.length,
      probe,
      probeFailures: setup.probeFailures,
      lateJoin: late,
      loadUdpDrops,
    });
  } finally {
    await load?.close().catch(() => {});
    await sut.close().catch(() => {});
  }
}
