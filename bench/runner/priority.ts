// Scheduling priority for the measured processes on a shared machine (`--nice`). Linux keeps
// the nice value per thread, and the SUT's threads (Janus's, Node's workers) exist before we
// could start them differently, so every thread in /proc/<pid>/task is set.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";

/**
 * Sets the nice value of every thread of `pid`; returns how many threads were set. Threads
 * the SUT itself put below its main thread (our focus's V8 helper threads, at nice 19 so that
 * they yield the core to the event loop) keep their place below it: they go to `nice` plus
 * their distance from the main thread, at most 19.
 */
export function reniceProcess(pid: number, nice: number): number {
  let n = 0;
  let tasks: string[] = [];
  let main = 0;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
    main = os.getPriority(pid);
  } catch {
    return 0;
  }
  for (const tid of tasks) {
    try {
      const below = Math.max(0, os.getPriority(Number(tid)) - main);
      os.setPriority(Number(tid), Math.min(19, nice + below));
      n++;
    } catch {
      // a thread that ended meanwhile, or no permission
    }
  }
  return n;
}

/**
 * With scheduler autogroups (kernel.sched_autogroup_enabled = 1) nice values only order
 * threads within one session's group; groups share the CPU equally, whatever their threads'
 * nice. This sets the nice of this process's group, which the SUT and load processes it
 * spawns belong to (and so does the shell that started it: restore the returned value at the
 * end). Returns the group's previous nice, or undefined when autogroups are off or the write
 * was refused.
 */
/**
 * `--nice` of a benchmark script: sets this run's scheduler group to `nice` when one is given;
 * returns how to put the group's previous value back, or undefined when nothing was set.
 */
export function groupNiceForRun(nice: number | undefined): (() => void) | undefined {
  const before = nice === undefined ? undefined : setAutogroupNice(nice);
  return before === undefined ? undefined : () => setAutogroupNice(before);
}

export function setAutogroupNice(nice: number): number | undefined {
  try {
    if (readFileSync("/proc/sys/kernel/sched_autogroup_enabled", "utf8").trim() !== "1") {
      return undefined;
    }
    const before = /nice (-?\d+)/.exec(readFileSync("/proc/self/autogroup", "utf8"))?.[1];
    writeFileSync("/proc/self/autogroup", String(nice));
    return Number(before ?? 0);
  } catch {
    return undefined;
  }
}
