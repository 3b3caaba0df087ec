// The table of an A/B run (bench/ab.ts): every run, then per step the median of each variant
// and the ratio new / base.
import type { StepResult } from "../runner/results.ts";

export interface AbRun {
  variant: "new" | "base";
  x: number;
  rep: number;
  result: StepResult;
  /** 1-minute load average right after the run. */
  loadAverage: number;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Whether a run measured the SUT: no failed join and less than 20% loss. */
export function usable(s: StepResult): boolean {
  return s.failures.length === 0 && s.loss < 0.2 && s.forwardedPps > 0;
}

const f0 = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : "–");
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

export function abTable(
  runs: AbRun[],
  o: { scenario: string; base: string; fresh: string; loadStart: number; loadEnd: number },
): string {
  const lines = [
    `A/B \`${o.scenario}\`: new = ${o.fresh}, base = ${o.base}; load average ${o.loadStart.toFixed(2)} at the start, ${o.loadEnd.toFixed(2)} at the end`,
    "",
    "| x | rep | variant | pkt/s fwd | SUT cores | pkt/s per core | loss | delay p50/p99 ms | probe p99 ms | join→keyframe p50 ms | late join→keyframe p50 ms | socket drops | MiB per participant | load avg |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of runs) {
    const s = r.result;
    lines.push(
      `| ${r.x} | ${r.rep} | ${r.variant} | ${f0(s.forwardedPps)} | ${s.sutCores.toFixed(2)} | ${f0(s.ppsPerCore)} | ${pct(s.loss)} | ${s.delayP50Ms?.toFixed(1) ?? "–"} / ${s.delayP99Ms?.toFixed(1) ?? "–"} | ${s.probe?.delayP99Ms?.toFixed(1) ?? "–"} | ${f0(s.keyframeP50Ms ?? Number.NaN)} | ${f0(s.lateJoinP50Ms ?? Number.NaN)} | ${s.sutUdpDrops ?? "?"} | ${s.memPerParticipantMiB.toFixed(2)} | ${r.loadAverage.toFixed(2)} |`,
    );
  }
  lines.push(
    "",
    "Medians leave out runs that lost 20% or more or where a join failed (counted in `runs each` as used / all).",
    "",
    "| x | runs each | pkt/s per core new / base (median) | ratio | SUT cores new / base | ratio | loss new / base | probe p99 ms new / base | join→keyframe p50 ms new / base | late join→keyframe p50 ms new / base | socket drops new / base | MiB per participant new / base |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const x of [...new Set(runs.map((r) => r.x))]) {
    // a run where most joins failed or most packets were lost measured the machine, not the SUT
    const of = (v: "new" | "base") =>
      runs.filter((r) => r.x === x && r.variant === v && usable(r.result));
    const a = of("new");
    const b = of("base");
    const all = (v: "new" | "base") => runs.filter((r) => r.x === x && r.variant === v).length;
    const ppc = (rs: AbRun[]) => median(rs.map((r) => r.result.ppsPerCore));
    const cores = (rs: AbRun[]) => median(rs.map((r) => r.result.sutCores));
    const loss = (rs: AbRun[]) => median(rs.map((r) => r.result.loss));
    const drops = (rs: AbRun[]) => median(rs.map((r) => r.result.sutUdpDrops ?? Number.NaN));
    const keyframe = (rs: AbRun[]) => median(rs.map((r) => r.result.keyframeP50Ms ?? Number.NaN));
    const late = (rs: AbRun[]) => median(rs.map((r) => r.result.lateJoinP50Ms ?? Number.NaN));
    const mem = (rs: AbRun[]) => median(rs.map((r) => r.result.memPerParticipantMiB)).toFixed(2);
    const probe = (rs: AbRun[]) =>
      median(rs.map((r) => r.result.probe?.delayP99Ms ?? Number.NaN)).toFixed(1);
    lines.push(
      `| ${x} | new ${a.length}/${all("new")}, base ${b.length}/${all("base")} | ${f0(ppc(a))} / ${f0(ppc(b))} | ${(ppc(a) / ppc(b)).toFixed(2)}× | ${cores(a).toFixed(2)} / ${cores(b).toFixed(2)} | ${(cores(a) / cores(b)).toFixed(2)}× | ${pct(loss(a))} / ${pct(loss(b))} | ${probe(a)} / ${probe(b)} | ${f0(keyframe(a))} / ${f0(keyframe(b))} | ${f0(late(a))} / ${f0(late(b))} | ${f0(drops(a))} / ${f0(drops(b))} | ${mem(a)} / ${mem(b)} |`,
    );
  }
  return lines.join("\n");
}
