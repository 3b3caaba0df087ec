// One load generator process per load core: participants are split among them by index
// (a participant's publishing and receiving stay in one process), feeds are exchanged
// between the publish and subscribe phases, and the measurements are added up. Beside them,
// the delay probe: one more process with one publisher and one subscriber of it in the first
// room, whose window is kept apart (docs/benchmark.md).
import type { LateJoinDefaults, ProbeDefaults } from "../config/defaults.ts";
import { Histogram } from "../lib/histogram.ts";
import type {
  LateJoinPlan,
  LoadMeasured,
  LoadPlan,
  LoadWindow,
  RoomPlan,
  SetupResult,
} from "../load/ipc.ts";
import { LoadProcess } from "./LoadProcess.ts";

/** The share of participant indices i with i % count === k. */
export function partitionRooms(rooms: RoomPlan[], count: number, k: number): RoomPlan[] {
  return rooms.map((r) => ({
    room: r.room,
    publishers: r.publishers.filter((p) => p % count === k),
    subscribers: r.subscribers.filter((s) => s.index % count === k),
  }));
}

/** The probe's rooms: its publisher and its subscriber (of that publisher only) in room 0. */
export function probeRooms(rooms: RoomPlan[], p: ProbeDefaults): RoomPlan[] {
  const first = rooms[0]?.room ?? 0;
  return [
    {
      room: first,
      publishers: [p.publisherIndex],
      subscribers: [{ index: p.subscriberIndex, feeds: [p.publisherIndex], layer: p.layer }],
    },
  ];
}

/**
 * Late joiners of a step: they join the first room as its first subscriber does (the same
 * publishers and layer), publishing too when that subscriber is also a publisher (a call).
 * Undefined when the room has no subscriber.
 */
export function lateJoinPlan(rooms: RoomPlan[], d: LateJoinDefaults): LateJoinPlan | undefined {
  const r = rooms[0];
  const like = r?.subscribers[0];
  if (!r || !like || d.count <= 0) return undefined;
  return {
    ...d,
    room: r.room,
    feeds: like.feeds,
    layer: like.layer,
    publish: r.publishers.includes(like.index),
  };
}

/** The largest of the defined values, or undefined when there is none. */
function maxOf(xs: (number | undefined)[]): number | undefined {
  const d = xs.filter((x) => x !== undefined);
  return d.length ? Math.max(...d) : undefined;
}

/**
 * The CPU of the busiest load core, in cores: the processes' figures added up per core they
 * are pinned to (several processes may share one, `--load-cores 1,1`); undefined when no
 * process has a figure.
 */
export function busiestCore(cores: number[], cpu: (number | undefined)[]): number | undefined {
  const perCore = new Map<number, number>();
  cpu.forEach((c, k) => {
    if (c === undefined) return;
    const core = cores[k] ?? -1 - k;
    perCore.set(core, (perCore.get(core) ?? 0) + c);
  });
  return perCore.size ? Math.max(...perCore.values()) : undefined;
}

/** A probe that failed leaves the step without a probe figure, not failed. */
function probeFailed(e: Error) {
  return { feeds: [] as [number, string][], failures: [`probe: ${e.message}`], ms: 0 };
}

/** Adds up the windows of several load processes. */
export function mergeWindows(ws: LoadWindow[]): LoadWindow {
  const delay = new Histogram();
  const first = ws[0];
  const out: LoadWindow = {
    ms: first?.ms ?? 0,
    packets: 0,
    bytes: 0,
    lost: 0,
    expected: 0,
    outOfOrder: 0,
    duplicates: 0,
    unmarked: 0,
    delay: delay.toData(),
    byStream: [],
    layerSwitches: 0,
    sentPackets: 0,
    sentBytes: 0,
    plisReceived: 0,
    loadCpuCores: 0,
    loadRssBytes: 0,
    loadLoopDelayP99Ms: 0,
    loadLoopDelayMaxMs: 0,
  };
  for (const w of ws) {
    out.packets += w.packets;
    out.bytes += w.bytes;
    out.lost += w.lost;
    out.expected += w.expected;
    out.outOfOrder += w.outOfOrder;
    out.duplicates += w.duplicates;
    out.unmarked += w.unmarked;
    out.layerSwitches += w.layerSwitches;
    out.sentPackets += w.sentPackets;
    out.sentBytes += w.sentBytes;
    out.plisReceived += w.plisReceived;
    out.sendDrops = (out.sendDrops ?? 0) + (w.sendDrops ?? 0);
    out.silentStreams = (out.silentStreams ?? 0) + (w.silentStreams ?? 0);
    out.loadCpuCores += w.loadCpuCores;
    out.loadRssBytes += w.loadRssBytes;
    out.loadLoopDelayP99Ms = Math.max(out.loadLoopDelayP99Ms, w.loadLoopDelayP99Ms);
    out.loadLoopDelayMaxMs = Math.max(out.loadLoopDelayMaxMs, w.loadLoopDelayMaxMs);
    w.byStream.forEach((n, i) => {
      out.byStream[i] = (out.byStream[i] ?? 0) + n;
    });
    delay.merge(w.delay);
  }
  out.delay = delay.toData();
  return out;
}

export class LoadGroup {
  readonly procs: LoadProcess[];
  /** The core each process of `procs` is pinned to. */
  readonly cores: number[];
  /** The delay probe's process, when there is one (not in `procs`). */
  readonly probe: LoadProcess | undefined;
  readonly #probeDefaults: ProbeDefaults | undefined;
  /** Which process owns a device (learned from the signals it sends). */
  readonly #owner = new Map<string, LoadProcess>();
  onSignal: ((from: string, payload: unknown) => void) | undefined;

  /** `probe`: run the delay probe, pinned to the first load core. */
  constructor(cores: number[], probe?: ProbeDefaults) {
    this.cores = cores;
    this.procs = cores.map((c) => new LoadProcess(c));
    this.#probeDefaults = probe?.enabled ? probe : undefined;
    this.probe = this.#probeDefaults
      ? new LoadProcess(cores[0] ?? 1, this.#probeDefaults.nice)
      : undefined;
    for (const p of this.#all()) {
      p.onSignal = (from, payload) => {
        this.#owner.set(from, p);
        this.onSignal?.(from, payload);
      };
    }
  }

  #all(): LoadProcess[] {
    return this.probe ? [...this.procs, this.probe] : this.procs;
  }

  /** Delivers a signalling message from the SUT to the process that owns device `to`. */
  deliver(to: string, payload: unknown): void {
    this.#owner.get(to)?.send({ type: "signal", to, payload });
  }

  async setup(plan: LoadPlan, ms: number): Promise<SetupResult & { probeFailures: string[] }> {
    const n = this.procs.length;
    const plans = this.procs.map((_, k) => ({
      ...plan,
      rooms: partitionRooms(plan.rooms, n, k),
      churnIndexBase: 1_000_000 * (k + 1),
    }));
    const pd = this.#probeDefaults;
    const probePlan = pd
      ? { ...plan, rooms: probeRooms(plan.rooms, pd), churnEveryMs: 0 }
      : undefined;
    const [published, probePublished] = await Promise.all([
      Promise.all(this.procs.map((p, k) => p.publish(plans[k]!, ms))),
      probePlan ? this.probe?.publish(probePlan, ms).catch(probeFailed) : undefined,
    ]);
    const feeds = [...published.flatMap((r) => r.feeds), ...(probePublished?.feeds ?? [])];
    const [ready, probeReady] = await Promise.all([
      Promise.all(this.procs.map((p) => p.subscribe(feeds, ms))),
      probePlan ? this.probe?.subscribe(feeds, ms).catch(probeFailed) : undefined,
    ]);
    return {
      publishers: ready.reduce((a, r) => a + r.publishers, 0),
      subscriptions: ready.reduce((a, r) => a + r.subscriptions, 0),
      failures: [...published.flatMap((r) => r.failures), ...ready.flatMap((r) => r.failures)],
      setupMs: Math.max(...published.map((r) => r.ms)) + Math.max(...ready.map((r) => r.setupMs)),
      probeFailures: [...(probePublished?.failures ?? []), ...(probeReady?.failures ?? [])],
    };
  }

  measureStart(): void {
    for (const p of this.#all()) p.measureStart();
  }

  async measureStop(): Promise<
    LoadMeasured & {
      busiest: number;
      /** The delay probe's own window (not part of `window`). */
      probe: LoadWindow | undefined;
    }
  > {
    const [rs, probe] = await Promise.all([
      Promise.all(this.procs.map((p) => p.measureStop())),
      this.probe?.measureStop().catch(() => undefined),
    ]);
    const windows = rs.map((r) => r.window);
    return {
      window: mergeWindows(windows),
      busiest:
        busiestCore(
          this.cores,
          windows.map((w) => w.loadCpuCores),
        ) ?? 0,
      keyframeMs: rs.flatMap((r) => r.keyframeMs),
      joinLoadCores: busiestCore(
        this.cores,
        rs.map((r) => r.joinLoadCores),
      ),
      joinLoopP99Ms: maxOf(rs.map((r) => r.joinLoopP99Ms)),
      problems: rs.flatMap((r) => r.problems).slice(0, 20),
      probe: probe?.window,
    };
  }

  /**
   * Runs `plan`'s late joins in the probe's process (its own, like a user's device), or the
   * first load process when there is no probe.
   */
  lateJoins(plan: LateJoinPlan) {
    const p = this.probe ?? this.procs[0];
    if (!p) throw new Error("no load process");
    const ms = plan.count * (plan.timeoutMs + plan.gapMs) + 30_000;
    return p.lateJoins(plan, ms);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#all().map((p) => p.close()));
  }
}
