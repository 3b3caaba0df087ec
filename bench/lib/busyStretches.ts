// Busy stretches in a CPU profile: runs of consecutive samples in which the thread was not
// idle. At a given CPU share, long stretches mean long waits for whatever arrives during
// them (a packet waits for the rest of the stretch), so their lengths explain a delay tail
// that the average load does not. `node bench/prof.ts <file> --busy 5`.
import type { CpuProfile, ProfileNode } from "./cpuProfile.ts";

export interface BusyStretches {
  busyMs: number;
  count: number;
  /** [n, how many stretches lasted at least n ms]. */
  atLeast: [number, number][];
  /** Stretches of at least `minMs`: how many, their time, and that time per entry point. */
  long: { minMs: number; count: number; ms: number; byEntry: [string, number][] };
}

const IDLE = "(idle)";

/** The first three frames below the root of a sample's stack ("a > b > c"). */
function entryOf(id: number, nodes: Map<number, ProfileNode>, parent: Map<number, number>) {
  const chain: string[] = [];
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = nodes.get(cur);
    if (!n || parent.get(cur) === undefined) break; // the root itself
    chain.push(n.callFrame.functionName || "(anonymous)");
  }
  return chain.reverse().slice(0, 3).join(" > ");
}

export function busyStretches(p: CpuProfile, minMs = 5): BusyStretches {
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  const stretches: { ms: number; ids: number[]; ds: number[] }[] = [];
  let cur: { ms: number; ids: number[]; ds: number[] } | undefined;
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    // a sample's time is the gap until the next sample (as in selfTimes)
    const d = (deltas[i + 1] ?? 0) / 1000;
    if (nodes.get(id)?.callFrame.functionName === IDLE) {
      cur = undefined;
      continue;
    }
    if (!cur) {
      cur = { ms: 0, ids: [], ds: [] };
      stretches.push(cur);
    }
    cur.ms += d;
    cur.ids.push(id);
    cur.ds.push(d);
  }
  const long = stretches.filter((s) => s.ms >= minMs);
  const byEntry = new Map<string, number>();
  for (const s of long) {
    s.ids.forEach((id, k) => {
      const e = entryOf(id, nodes, parent);
      byEntry.set(e, (byEntry.get(e) ?? 0) + (s.ds[k] as number));
    });
  }
  const sum = (xs: { ms: number }[]) => xs.reduce((t, s) => t + s.ms, 0);
  return {
    busyMs: sum(stretches),
    count: stretches.length,
    atLeast: [1, 2, 5, 10, 20, 50].map((n) => [n, stretches.filter((s) => s.ms >= n).length]),
    long: {
      minMs,
      count: long.length,
      ms: sum(long),
      byEntry: [...byEntry].sort((a, b) => b[1] - a[1]),
    },
  };
}

/** The figures as text: counts by length, then where the long stretches spent their time. */
export function busyStretchReport(b: BusyStretches, n = 12): string {
  const lines = [
    `busy ${b.busyMs.toFixed(0)} ms in ${b.count} stretches; ` +
      `lasting at least n ms: ${b.atLeast.map(([ms, c]) => `${ms}: ${c}`).join(", ")}`,
    `stretches of ${b.long.minMs} ms or more: ${b.long.count}, ${b.long.ms.toFixed(0)} ms; by entry point:`,
    "",
    "| entry point (first frames below the root) | ms |",
    "|---|---|",
    ...b.long.byEntry.slice(0, n).map(([e, ms]) => `| ${e} | ${ms.toFixed(0)} |`),
  ];
  return lines.join("\n");
}
