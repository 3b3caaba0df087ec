// One load generator process per load core: participants are split among them by index
// (a participant's publishing and receiving stay in one process), feeds are exchanged
// between the publish and subscribe phases, and the measurements are added up.
import { Histogram } from "../lib/histogram.ts";
import type { LoadPlan, LoadWindow, RoomPlan, SetupResult } from "../load/ipc.ts";
import { LoadProcess } from "./LoadProcess.ts";

/** The share of participant indices i with i % count === k. */
export function partitionRooms(rooms: RoomPlan[], count: number, k: number): RoomPlan[] {
  return rooms.map((r) => ({
    room: r.room,
    publishers: r.publishers.filter((p) => p % count === k),
    subscribers: r.subscribers.filter((s) => s.index % count === k),
  }));
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
  /** Which process owns a device (learned from the signals it sends). */
  readonly #owner = new Map<string, LoadProcess>();
  onSignal: ((from: string, payload: unknown) => void) | undefined;

  constructor(cores: number[]) {
    this.procs = cores.map((c) => new LoadProcess(c));
    for (const p of this.procs) {
      p.onSignal = (from, payload) => {
        this.#owner.set(from, p);
        this.onSignal?.(from, payload);
      };
    }
  }

  /** Delivers a signalling message from the SUT to the process that owns device `to`. */
  deliver(to: string, payload: unknown): void {
    this.#owner.get(to)?.send({ type: "signal", to, payload });
  }

  /** The highest CPU any one load process used, in cores. */
  static busiest(ws: LoadWindow[]): number {
    return Math.max(0, ...ws.map((w) => w.loadCpuCores));
  }

  async setup(plan: LoadPlan, ms: number): Promise<SetupResult> {
    const n = this.procs.length;
    const plans = this.procs.map((_, k) => ({
      ...plan,
      rooms: partitionRooms(plan.rooms, n, k),
      churnIndexBase: 1_000_000 * (k + 1),
    }));
    const published = await Promise.all(this.procs.map((p, k) => p.publish(plans[k]!, ms)));
    const feeds = published.flatMap((r) => r.feeds);
    const ready = await Promise.all(this.procs.map((p) => p.subscribe(feeds, ms)));
    return {
      publishers: ready.reduce((a, r) => a + r.publishers, 0),
      subscriptions: ready.reduce((a, r) => a + r.subscriptions, 0),
      failures: [...published.flatMap((r) => r.failures), ...ready.flatMap((r) => r.failures)],
      setupMs: Math.max(...published.map((r) => r.ms)) + Math.max(...ready.map((r) => r.setupMs)),
    };
  }

  measureStart(): void {
    for (const p of this.procs) p.measureStart();
  }

  async measureStop(): Promise<{
    window: LoadWindow;
    busiest: number;
    keyframeMs: number[];
    problems: string[];
  }> {
    const rs = await Promise.all(this.procs.map((p) => p.measureStop()));
    const windows = rs.map((r) => r.window);
    return {
      window: mergeWindows(windows),
      busiest: LoadGroup.busiest(windows),
      keyframeMs: rs.flatMap((r) => r.keyframeMs),
      problems: rs.flatMap((r) => r.problems).slice(0, 20),
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.procs.map((p) => p.close()));
  }
}
