// CPU time and memory of a process from /proc (Linux), for the system under test and the
// load generator alike.
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ; 100 on every Linux the project targets

export interface ProcSample {
  /** When sampled, ms (performance.now()). */
  at: number;
  /** user + system CPU time so far, ms. */
  cpuMs: number;
  rssBytes: number;
}

/** Reads one sample; undefined once the process is gone. */
export function sampleProc(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // fields after the parenthesised command name; utime and stime are fields 14 and 15
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(rest[11]) + Number(rest[12]);
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    return {
      at: performance.now(),
      cpuMs: (ticks * 1000) / TICKS_PER_SECOND,
      rssBytes: rssKb * 1024,
    };
  } catch {
    return undefined;
  }
}

/** CPU used between two samples, in cores (1 = one core busy all the time). */
export function coresBetween(a: ProcSample, b: ProcSample): number {
  const wall = b.at - a.at;
  return wall > 0 ? (b.cpuMs - a.cpuMs) / wall : 0;
}

/** The cores a process may run on (its affinity), from /proc/<pid>/status. */
export function allowedCpus(pid: number): string | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return /^Cpus_allowed_list:\s+(\S+)/m.exec(status)?.[1];
  } catch {
    return undefined;
  }
}
