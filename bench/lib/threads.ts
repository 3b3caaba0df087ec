// CPU time of each thread of a process (/proc/<pid>/task), and the focus host this benchmark
// started, for the scaling measurements (bench/scaling.ts, bench/saturation.ts).
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ = 100
export type Threads = Map<string, { name: string; cpuMs: number }>;

/** CPU time so far of every thread of `pid`, by thread id. */
export function threadsOf(pid: number): Threads {
  const out: Threads = new Map();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(tid, { name, cpuMs: (Number(rest[11]) + Number(rest[12])) * TICK_MS });
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** The focus host started by this process (a descendant whose command runs focusHost.ts). */
export function findFocusHost(): number | undefined {
  const parents = new Map<number, number>();
  const hosts: number[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      parents.set(Number(e), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      if (readFileSync(`/proc/${e}/cmdline`, "utf8").includes("focusHost.ts"))
        hosts.push(Number(e));
    } catch {
      // gone
    }
  }
  return hosts.find((pid) => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parents.get(p)) {
      if (p === process.pid) return true;
    }
    return false;
  });
}

/** Per thread (grouped by name) CPU between two samples, in cores. */
export function threadCores(a: Threads, b: Threads, ms: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [tid, t] of b) {
    const before = a.get(tid)?.cpuMs ?? 0;
    const key = /^(MainThread|focus-worker-\d+)$/.test(t.name) ? t.name : "other threads";
    out[key] = (out[key] ?? 0) + (t.cpuMs - before) / ms;
  }
  return out;
}

/**
 * A `log` hook for runStep that samples the focus host's threads over the measurement window
 * (it opens `warmupMs` after the runner's "joined" line and lasts `measureMs`); `result()`
 * gives the CPU per thread in cores, or {} when a sample is missing. `clear()` cancels.
 */
export function windowThreadSampler(warmupMs: number, measureMs: number) {
  let pid: number | undefined;
  let a: Threads | undefined;
  let b: Threads | undefined;
  const timers: ReturnType<typeof setTimeout>[] = [];
  return {
    onLine(line: string) {
      if (!line.startsWith("  joined")) return;
      pid = findFocusHost();
      timers.push(
        setTimeout(() => {
          if (pid) a = threadsOf(pid);
        }, warmupMs),
        setTimeout(() => {
          if (pid) b = threadsOf(pid);
        }, warmupMs + measureMs),
      );
    },
    result: (): Record<string, number> => (a && b ? threadCores(a, b, measureMs) : {}),
    clear() {
      for (const t of timers) clearTimeout(t);
    },
  };
}
