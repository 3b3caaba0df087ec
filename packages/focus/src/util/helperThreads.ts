// V8's helper threads at a low CPU priority. V8 compiles hot functions with TurboFan on its
// own threads (`V8Worker`, four in a Node process) while the media thread runs; with the focus
// on one core per event loop, a compile job of several milliseconds takes the core from the
// event loop, and the packets that arrive meanwhile wait: in the benchmark's call of 25, the
// datagrams whose handling took 2-10 ms were the main thread waiting for TurboFan, not our code
// (`perf` on the focus, docs/decisions/perf-helper-threads.md). At nice 19 those threads run
// when the event loop leaves the core idle and still progress when it does not (the kernel
// gives a nice-19 thread about 1.5% of a busy core). Linux only: thread ids from /proc; a
// thread's nice value is its own there. Raising a nice value needs no privilege.
import { readdirSync, readFileSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/** The name V8's platform worker threads carry in /proc/<pid>/task/<tid>/comm. */
export const V8_HELPER_THREAD = "V8Worker";

export interface HelperThreadsResult {
  /** Helper threads now at `nice` or above. */
  lowered: number;
  /** Why none was lowered, when none was. */
  skipped?: string;
}

/**
 * Sets every V8 helper thread of this process to `nice` (0-19); a thread already at that nice
 * or a higher one keeps its own (so 0 changes nothing in a process at nice 0 or above).
 */
export function lowerHelperThreads(nice: number, taskDir = "/proc/self/task"): HelperThreadsResult {
  let tids: string[];
  try {
    tids = readdirSync(taskDir);
  } catch {
    return { lowered: 0, skipped: `no ${taskDir} (not Linux?)` };
  }
  let lowered = 0;
  let failed = "";
  for (const tid of tids) {
    try {
      if (readFileSync(`${taskDir}/${tid}/comm`, "utf8").trim() !== V8_HELPER_THREAD) continue;
      if (getPriority(Number(tid)) < nice) setPriority(Number(tid), nice);
      lowered++;
    } catch (e) {
      failed = (e as Error).message; // a thread that ended meanwhile
    }
  }
  if (lowered > 0) return { lowered };
  return { lowered, skipped: failed || `no ${V8_HELPER_THREAD} threads found` };
}
