// The focus as a system under test: a process that runs the conference layer of
// @matrix-focus/focus (ConferenceManager and its media plane) with signalling relayed in
// memory over Node IPC instead of Matrix to-device messages. Started by sut/focus.ts inside
// the run's network namespace, pinned to the SUT core.
// An optional first argument names another module to take ConferenceManager from (a
// baseline copy of the focus for A/B runs, see bench/ab.ts).
import type { DeviceRef, ConferenceManager as Manager } from "@matrix-focus/focus";
import type { CallEvent } from "@matrix-focus/protocol";
import { MemoryReport } from "./memoryReport.ts";
import { WindowProfiler } from "./windowProfiler.ts";

export type ToFocusHost =
  | { type: "deliver"; from: string; payload: { sender: DeviceRef; event: CallEvent } }
  | { type: "stats" }
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
  const { ConferenceManager } = (await import(from)) as { ConferenceManager: typeof Manager };
  const dir = process.env.MF_BENCH_WINDOW_PROFILE;
  const profiler = dir ? new WindowProfiler(dir) : undefined;
  // opt-in: memory figures at the window's start and end (bench/sut/memoryReport.ts)
  const memDir = process.env.MF_BENCH_MEMORY;
  const memory = memDir ? new MemoryReport(memDir) : undefined;
  const manager = new ConferenceManager({
    focus: { userId: "@focus:bench.invalid", deviceId: "BENCHFOCUS" },
    signalling: {
      sendCallEvent: async (to, event) => send({ type: "signal", to: to.deviceId, payload: event }),
    },
    // inside the namespace: offer the veth address only (werift leaves loopback out)
    media: { hostAddresses: [] },
  });
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
      send({ type: "stats", stats: { ...manager.stats() } });
      memory?.sample();
      // the runner asks for stats when the window opens and when it closes
      void profiler?.toggle();
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
