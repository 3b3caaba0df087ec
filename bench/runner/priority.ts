// Scheduling priority for the measured processes on a shared machine (`--nice`). Linux keeps
// the nice value per thread, and the SUT's threads (Janus's, Node's workers) exist before we
// could start them differently, so every thread in /proc/<pid>/task is set.
import { readdirSync } from "node:fs";
import os from "node:os";

/** Sets the nice value of every thread of `pid`; returns how many threads were set. */
export function reniceProcess(pid: number, nice: number): number {
  let n = 0;
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const tid of tasks) {
    try {
      os.setPriority(Number(tid), nice);
      n++;
    } catch {
      // a thread that ended meanwhile, or no permission
    }
  }
  return n;
}
