// The focus as a system under test: a process that runs the conference layer of
// @matrix-focus/focus (ConferenceManager and its media plane) with signalling relayed in
// memory over Node IPC instead of Matrix to-device messages. Started by sut/focus.ts inside
// the run's network namespace, pinned to the SUT core.
// An optional first argument names another module to take ConferenceManager from (a
// baseline copy of the focus for A/B runs, see bench/ab.ts).
// MF_BENCH_FOCUS_WORKERS=N (N > 1) runs the conference layer in N worker threads
// (ConferenceWorkers, as the focus does with `workers: N`) instead of on the main thread;
// MF_BENCH_FOCUS_SPREAD_ABOVE=M spreads a conference over them above M devices per worker.
// MF_BENCH_MALLOC_TRIM_MS overrides the focus's mallocTrimIntervalMs (0: no trimming).
import type {
  ConferenceLayer,
  DeviceRef,
  lowerHelperThreads as lowerHelper,
  ConferenceManager as Manager,
  startMallocTrim as startTrim,
  ConferenceWorkers as Workers,
} from "@matrix-focus/focus";
import type { CallEvent } from "@matrix-focus/protocol";
import { LoopReport } from "./loopReport.ts";
import { MemoryReport } from "./memoryReport.ts";
import type { WindowMark } from "./Sut.ts";
import { WindowProfiler } from "./windowProfiler.ts";

export type ToFocusHost =
  | { type: "deliver"; from: string; payload: { sender: DeviceRef; event: CallEvent } }
  | { type: "stats"; window?: WindowMark }
  | { type: "close" };

export type FromFocusHost =
  | { type: "started" }
  | { type: "failed"; message: string }
  | { type: "signal"; to: string; payload: CallEvent }
  | { type: "stats"; stats: Record<string, number> };

function send(m: FromFocusHost): void {
  process.send?.(m);
}

async function main(): Promise<void> {
  const from = process.argv[2] ?? "@matrix-focus/focus";
  const m = (await import(from)) as {
    ConferenceManager: typeof Manager;
    ConferenceWorkers?: typeof Workers;
    lowerHelperThreads?: typeof lowerHelper;
    startMallocTrim?: typeof startTrim;
    configDefaults: { helperThreadNice?: number; mallocTrimIntervalMs?: number };
  };
  const { ConferenceManager, ConferenceWorkers, configDefaults } = m;
  // as the matrix-focus command does at start (a baseline without them runs without them)
  if (configDefaults.helperThreadNice !== undefined) {
    m.lowerHelperThreads?.(configDefaults.helperThreadNice);
  }
  const trimMs = process.env.MF_BENCH_MALLOC_TRIM_MS ?? configDefaults.mallocTrimIntervalMs;
  if (trimMs !== undefined) m.startMallocTrim?.(Number(trimMs));
  const workers = Number(process.env.MF_BENCH_FOCUS_WORKERS ?? "1");
  const dir = process.env.MF_BENCH_WINDOW_PROFILE;
  const profiler = dir ? new WindowProfiler(dir) : undefined;
  // opt-in: memory figures at the window's start and end (bench/sut/memoryReport.ts)
  const memDir = process.env.MF_BENCH_MEMORY;
  const memory = memDir ? new MemoryReport(memDir) : undefined;
  // opt-in: the event loop's delay and the GC pauses over the window (bench/sut/loopReport.ts)
  const loop = process.env.MF_BENCH_LOOP_DELAY ? new LoopReport() : undefined;
  const options = {
    focus: { userId: "@focus:bench.invalid", deviceId: "BENCHFOCUS" },
    signalling: {
      sendCallEvent: async (to: DeviceRef, event: CallEvent) =>
        send({ type: "signal", to: to.deviceId, payload: event }),
    },
    // inside the namespace: offer the veth address only (werift leaves loopback out)
    media: { hostAddresses: [] },
  };
  let manager: ConferenceLayer;
  if (workers > 1) {
    if (!ConferenceWorkers) throw new Error(`${from} has no ConferenceWorkers`);
    const spreadAbove = Number(process.env.MF_BENCH_FOCUS_SPREAD_ABOVE ?? "0");
    manager = await ConferenceWorkers.start({ ...options, workers, spreadAbove });
  } else manager = new ConferenceManager(options);
  process.on("message", (raw) => {
    const m = raw as ToFocusHost;
    if (m.type === "deliver") {
      const { sender, event } = m.payload;
      const roomId = (event.content as { room_id?: string }).room_id ?? "";
      manager.handle({
        kind: "callEventReceived",
        conference: { roomId, confId: event.content.conf_id },
        sender,
        event,
      });
    } else if (m.type === "stats") {
      // the opt-in reports cover the measurement window only (not the joins' readings)
      const extra = (m.window && loop?.toggle()) || {};
      // with when they were read (a busy focus answers late), so that rates span what they count
      const reply = () =>
        send({
          type: "stats",
          stats: { ...manager.stats(), ...extra, sampledAtMs: performance.now() },
        });
      // workers: their figures come from snapshots; idle() refreshes them first
      if (workers > 1) void manager.idle().then(reply);
      else reply();
      if (m.window) {
        memory?.sample();
        void profiler?.toggle();
      }
    } else if (m.type === "close") {
      void manager.close().finally(() => process.exit(0));
    }
  });
  process.on("disconnect", () => process.exit(0));
  // exit normally on SIGTERM, so that a CPU profile (--cpu-prof) is written
  process.on("SIGTERM", () => process.exit(0));
  send({ type: "started" });
}

main().catch((e: Error) => {
  send({ type: "failed", message: e.stack ?? e.message });
  process.exit(1);
});
