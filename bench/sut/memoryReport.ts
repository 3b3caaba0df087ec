// Opt-in memory diagnostic of the focus host (MF_BENCH_MEMORY=<dir>): at each stats request
// of the runner (window start, window end) it appends the process's memory figures to
// <dir>/memory-<pid>.json; at the window's end it also measures them again after a full
// garbage collection (what is retained vs. garbage not yet collected). With
// MF_BENCH_HEAP_SNAPSHOT=1 it writes heap snapshots there and at start-up (this inflates the
// RSS figures of that run). The runner samples RSS before it asks.
import { appendFileSync, readFileSync } from "node:fs";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";

const MiB = 1024 * 1024;
const mib = (n: number) => Math.round((n / MiB) * 100) / 100;

function smaps(): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    const text = readFileSync("/proc/self/smaps_rollup", "utf8");
    for (const m of text.matchAll(/^(\w+):\s+(\d+) kB/gm)) out[m[1]!] = mib(Number(m[2]) * 1024);
  } catch {}
  return out;
}

function figures(): Record<string, unknown> {
  const u = process.memoryUsage();
  const spaces: Record<string, { used: number; size: number }> = {};
  for (const s of v8.getHeapSpaceStatistics()) {
    spaces[s.space_name] = { used: mib(s.space_used_size), size: mib(s.space_size) };
  }
  const h = v8.getHeapStatistics();
  return {
    rss: mib(u.rss),
    heapTotal: mib(u.heapTotal),
    heapUsed: mib(u.heapUsed),
    external: mib(u.external),
    arrayBuffers: mib(u.arrayBuffers),
    mallocedMemory: mib(h.malloced_memory),
    peakMallocedMemory: mib(h.peak_malloced_memory),
    spaces,
    smaps: smaps(),
  };
}

export class MemoryReport {
  readonly #file: string;
  #calls = 0;

  constructor(dir: string) {
    this.#file = `${dir}/memory-${process.pid}.json`;
    this.#write("started", figures());
    this.#snapshot("started");
  }

  #snapshot(phase: string): void {
    if (process.env.MF_BENCH_HEAP_SNAPSHOT !== "1") return;
    v8.writeHeapSnapshot(this.#file.replace(/\.json$/, `-${phase}.heapsnapshot`));
  }

  #write(phase: string, f: Record<string, unknown>): void {
    appendFileSync(this.#file, `${JSON.stringify({ phase, ...f })}\n`);
  }

  /** Called on each stats request: the first is the window's start, the second its end. */
  sample(): void {
    this.#calls++;
    if (this.#calls > 2) return;
    this.#write(this.#calls === 1 ? "windowStart" : "windowEnd", figures());
    if (this.#calls !== 2) return;
    v8.setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    this.#write("windowEndAfterGc", figures());
    this.#snapshot("windowEnd");
  }
}
