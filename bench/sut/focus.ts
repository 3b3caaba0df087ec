// Starts our focus (sut/focusHost.ts) inside the run's network namespace, pinned to the SUT
// core (one core per conference worker, from the SUT core on), and relays signalling between
// it and the load generator.
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { focusEnv, focusNodeFlags } from "@matrix-focus/focus/nodeFlags";
import type { FromFocusHost, ToFocusHost } from "./focusHost.ts";
import type { Netns } from "./netns.ts";
import { LogTail, type Sut, stopChild, track } from "./Sut.ts";

const HOST = fileURLToPath(new URL("./focusHost.ts", import.meta.url));

/** How to start the focus host (A/B runs and profiles). */
export interface FocusHostOptions {
  /** Module the host imports ConferenceManager from (default: the workspace package). */
  module?: string;
  /** Write a V8 CPU profile of the focus into this folder when it exits (`--cpu-prof`). */
  cpuProfDir?: string;
  /** Write a V8 CPU profile of the measurement window only into this folder. */
  windowProfDir?: string;
  /** Conference worker threads (ConferenceWorkers); 1 (default) = on the main thread. */
  workers?: number;
  /** With workers: devices of one conference per worker before it spreads (0 = never). */
  spreadAbove?: number;
  /** taskset core list; default: `workers` cores from the SUT core on (wrapping around). */
  cores?: string;
}

/** The taskset core list for `workers` workers from `core` on, on a machine of `nproc` cores. */
export function focusCores(core: number, workers: number, nproc: number): string {
  const n = Math.max(1, Math.min(workers, nproc));
  return Array.from({ length: n }, (_, i) => (core + i) % nproc).join(",");
}

export async function startFocus(
  ns: Netns,
  core: number,
  host: FocusHostOptions = {},
  startTimeoutMs = 20_000,
): Promise<Sut> {
  const [cmd, ...prefix] = ns.exec;
  // as packages/focus/bin/matrix-focus (packages/focus/src/nodeFlags.ts)
  // MF_BENCH_FOCUS_NODE_FLAGS: more node/V8 flags for the focus host (to try one out)
  const extra = process.env.MF_BENCH_FOCUS_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const nodeArgs = [...focusNodeFlags, ...extra];
  if (host.cpuProfDir) nodeArgs.push("--cpu-prof", `--cpu-prof-dir=${host.cpuProfDir}`);
  const workers = host.workers ?? 1;
  const cores = host.cores ?? focusCores(core, workers, availableParallelism());
  const args = [...prefix, "taskset", "-c", cores, process.execPath, ...nodeArgs, HOST];
  if (host.module) args.push(host.module);
  const child = track(
    spawn(cmd!, args, {
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: {
        ...focusEnv,
        ...process.env,
        MF_BENCH_FOCUS_WORKERS: String(workers),
        MF_BENCH_FOCUS_SPREAD_ABOVE: String(host.spreadAbove ?? 0),
        ...(host.windowProfDir ? { MF_BENCH_WINDOW_PROFILE: host.windowProfDir } : {}),
      },
      serialization: "json",
    }),
  );
  const log = new LogTail(60);
  child.stdout?.on("data", (d: Buffer) => log.push(d));
  child.stderr?.on("data", (d: Buffer) => log.push(d));
  let statsWaiter: ((s: Record<string, number>) => void) | undefined;
  const sut: Sut = {
    counters: (window) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("focus sent no stats")), 5000);
        statsWaiter = (s) => {
          clearTimeout(timer);
          resolve(s);
        };
        child.send({ type: "stats", window } satisfies ToFocusHost, () => {});
      }),
    kind: "focus",
    pid: child.pid ?? 0,
    target: { kind: "focus", localAddress: ns.hostAddress },
    deliver: (from, payload) =>
      child.send({ type: "deliver", from, payload } as ToFocusHost, () => {}),
    logTail: () => log.text(),
    close: async () => {
      if (child.connected) child.send({ type: "close" } satisfies ToFocusHost, () => {});
      await stopChild(child, 5000);
    },
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`focus did not start:\n${log.text()}`)),
      startTimeoutMs,
    );
    child.on("message", (raw) => {
      const m = raw as FromFocusHost;
      if (m.type === "started") {
        clearTimeout(timer);
        resolve();
      } else if (m.type === "failed") {
        clearTimeout(timer);
        reject(new Error(`focus failed to start: ${m.message}`));
      } else if (m.type === "signal") sut.onSignal?.(m.to, m.payload);
      else if (m.type === "stats") statsWaiter?.(m.stats);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`focus exited with ${code}:\n${log.text()}`));
    });
  });
  return sut;
}
