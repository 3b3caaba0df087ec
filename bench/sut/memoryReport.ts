// Opt-in memory diagnostic of the focus host (MF_BENCH_MEMORY=<dir>): at each stats request
// of the runner (window start, window end) it appends the process's memory figures to
// <dir>/memory-<pid>.json; at the window's end it also measures them again after a full
// garbage collection (what is retained vs. garbage not yet collected) and after a
// memory-reducing one (which also returns V8's pool of freed pages to the system; its pause,
// 70-260 ms, delays the late joins that follow the window), and writes the garbage
// collections of the window (count, pause ms). With
// MF_BENCH_HEAP_SNAPSHOT=1 it writes heap snapshots there and at start-up (this inflates the
// RSS figures of that run). The runner samples RSS before it asks.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { GcTally } from "./gcTally.ts";

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

/**
 * Resident MiB by kind of mapping: the brk heap (malloc's main arena), anonymous mappings of
 * a thread's malloc arena (reserved 64 MiB, touched as used), other anonymous mappings (V8's
 * heap pages, large malloc blocks), files.
 */
function mappings(): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    const text = readFileSync("/proc/self/smaps", "utf8");
    let kind = "";
    for (const line of text.split("\n")) {
      const head = /^([0-9a-f]+)-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (head) {
        const name = head[2] ?? "";
        // a thread's malloc arena starts 64 MiB-aligned (glibc HEAP_MAX_SIZE)
        const arena = BigInt(`0x${head[1]}`) % 0x4000000n === 0n;
        kind = name ? (name.startsWith("[") ? name : "file") : arena ? "anon arena" : "anon";
        continue;
      }
      const m = /^Rss:\s+(\d+) kB/.exec(line);
      if (m) out[kind] = (out[kind] ?? 0) + Number(m[1]) / 1024;
    }
  } catch {}
  for (const k of Object.keys(out)) out[k] = Math.round(out[k]! * 100) / 100;
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
    mappings: mappings(),
  };
}

/**
 * V8's sampling heap profiler (MF_BENCH_HEAP_SAMPLING): `all` or `promoted` over the window,
 * `joins` or `joins-promoted` over everything before it (start-up, the joins and the warm-up).
 * `promoted`: only objects that survived scavenges, i.e. were promoted to the old generation,
 * whether or not a major GC collected them since; otherwise every allocation. Written as
 * <file>.heapprofile or <file>-joins.heapprofile.
 */
class HeapSampler {
  readonly #session = new Session();

  constructor(promotedOnly: boolean) {
    this.#session.connect();
    this.#session.post("HeapProfiler.startSampling", {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: !promotedOnly,
    });
  }

  stop(file: string): void {
    this.#session.post("HeapProfiler.stopSampling", (err, r) => {
      if (!err) writeFileSync(file, JSON.stringify(r.profile));
      this.#session.disconnect();
    });
  }
}

const sampling = process.env.MF_BENCH_HEAP_SAMPLING ?? "";
const samplingJoins = sampling.startsWith("joins");
const samplingPromoted = sampling.endsWith("promoted");

export class MemoryReport {
  readonly #file: string;
  readonly #gc = new GcTally();
  #sampler: HeapSampler | undefined;
  #calls = 0;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.#file = `${dir}/memory-${process.pid}.json`;
    this.#write("started", figures());
    this.#snapshot("started");
    if (samplingJoins) this.#sampler = new HeapSampler(samplingPromoted);
  }

  #snapshot(phase: string): void {
    if (process.env.MF_BENCH_HEAP_SNAPSHOT !== "1") return;
    v8.writeHeapSnapshot(this.#file.replace(/\.json$/, `-${phase}.heapsnapshot`));
  }

  #write(phase: string, f: Record<string, unknown>): void {
    appendFileSync(this.#file, `${JSON.stringify({ phase, ...f })}\n`);
  }

  /** Called when the measurement window opens and when it closes. */
  sample(): void {
    this.#calls++;
    if (this.#calls > 2) return;
    if (this.#calls === 1) {
      this.#write("windowStart", figures());
      this.#gc.reset();
      if (samplingJoins) {
        this.#sampler?.stop(this.#file.replace(/\.json$/, "-joins.heapprofile"));
        this.#sampler = undefined;
      } else if (sampling) this.#sampler = new HeapSampler(samplingPromoted);
      return;
    }
    this.#sampler?.stop(this.#file.replace(/\.json$/, ".heapprofile"));
    const { counts, ms } = this.#gc.stop();
    this.#write("windowEnd", { ...figures(), gcInWindow: { counts, ms } });
    v8.setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as (o?: Record<string, string>) => void;
    gc();
    this.#write("windowEndAfterGc", figures());
    // a memory-reducing collection, which also gives V8's pool of freed pages back
    const t = performance.now();
    gc({ type: "major", execution: "sync", flavor: "last-resort" });
    this.#write("windowEndAfterReducingGc", { ...figures(), pauseMs: performance.now() - t });
    this.#snapshot("windowEnd");
  }
}
