// The markdown report: machine and conditions, one table per scenario with our figures,
// Janus's and their ratio, and the headline "packets/s per core at < 1% loss".
import { runDefaults } from "../config/defaults.ts";
import type { MachineInfo } from "../lib/machine.ts";
import type { StepResult } from "../runner/results.ts";
import { halfLoadStep, loadBoundSteps, probeAtHalfLoad } from "./halfLoad.ts";

export interface ReportInput {
  results: StepResult[];
  machine: MachineInfo;
  quick: boolean;
  startedAt: Date;
  /** When the run ended (its length is printed), if known. */
  finishedAt?: Date | undefined;
  measureMs: number;
  warmupMs: number;
  /** 1-minute load average when the run ended. */
  loadAverageEnd?: number | undefined;
  /** Cores of the load generator processes (one process per core). */
  loadCores?: number[] | undefined;
  /** Free text about the conditions, printed under the title. */
  note?: string | undefined;
  /** Nice value the SUT and the load ran at (`--nice`), if set. */
  nice?: number | undefined;
  /** The load generator's media path (`--load-path`). */
  mediaPath?: string | undefined;
  /** Frame phases and pacing of the publishers (`--aligned-frames`, `--unpaced`). */
  loadShape?: string | undefined;
}

/** "10 min 40 s", "58 s". */
export function durationText(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** "2 processes on core 1", "1 process on core 1, 1 on core 2", ... */
export function loadProcessesText(cores: number[]): string {
  const perCore = new Map<number, number>();
  for (const c of cores) perCore.set(c, (perCore.get(c) ?? 0) + 1);
  return [...perCore]
    .map(([core, n], i) => `${n}${i === 0 ? ` process${n === 1 ? "" : "es"}` : ""} on core ${core}`)
    .join(", ");
}

const f0 = (v: number | undefined) => (v === undefined ? "–" : v.toFixed(0));
const f1 = (v: number | undefined) => (v === undefined ? "–" : v.toFixed(1));
const f2 = (v: number | undefined) => (v === undefined ? "–" : v.toFixed(2));
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

/** ours / janus, or "–" when either is missing or zero. */
export function ratio(ours: number | undefined, janus: number | undefined): string {
  if (ours === undefined || janus === undefined || janus === 0 || ours === 0) return "–";
  return `${(ours / janus).toFixed(2)}×`;
}

/** ours - janus in ms with a sign (the load generator's own share of the delay cancels out). */
export function diff(ours: number | undefined, janus: number | undefined): string {
  if (ours === undefined || janus === undefined) return "–";
  const d = ours - janus;
  return `${d >= 0 ? "+" : "−"}${Math.abs(d).toFixed(1)}`;
}

/** The best packets/s per core of a target in a scenario among steps under the loss limit. */
export function bestUnderLoss(
  results: StepResult[],
  scenario: string,
  target: "focus" | "janus",
  lossLimit = runDefaults.lossLimit,
): StepResult | undefined {
  return results
    .filter((r) => r.scenario === scenario && r.target === target && !r.error)
    .filter((r) => r.loss < lossLimit && r.forwardedPps > 0 && !r.loadSaturated)
    .sort((a, b) => b.forwardedPps - a.forwardedPps)[0];
}

/** The largest step of a scenario where both SUTs stayed under the loss limit. */
export function sameStepUnderLoss(
  results: StepResult[],
  scenario: string,
  lossLimit = runDefaults.lossLimit,
): { ours: StepResult; janus: StepResult } | undefined {
  const ok = (r: StepResult) =>
    !r.error && r.loss < lossLimit && r.forwardedPps > 0 && !r.loadSaturated;
  const xs = [...new Set(results.filter((r) => r.scenario === scenario).map((r) => r.x))];
  for (const x of xs.sort((a, b) => b - a)) {
    const at = (t: "focus" | "janus") =>
      results.find((r) => r.scenario === scenario && r.x === x && r.target === t);
    const ours = at("focus");
    const janus = at("janus");
    if (ours && janus && ok(ours) && ok(janus)) return { ours, janus };
  }
  return undefined;
}

/**
 * Join → keyframe p50 / p99, the subscriptions without one, and the load's CPU meanwhile
 * (⚠ when a load core was busy enough to hold the joins up).
 */
export function keyframeCell(
  r: Pick<
    StepResult,
    "keyframeP50Ms" | "keyframeP99Ms" | "keyframesMissing" | "joinLoadCores" | "joinLoopP99Ms"
  >,
): string {
  const load = r.joinLoadCores;
  const loop = r.joinLoopP99Ms !== undefined ? `, loop p99 ${f0(r.joinLoopP99Ms)} ms` : "";
  return (
    keyframeTimes(r.keyframeP50Ms, r.keyframeP99Ms, r.keyframesMissing) +
    (load !== undefined ? ` (load ${f2(load)}${load >= 0.9 ? " ⚠" : ""}${loop})` : "")
  );
}

/** "p50 / p99" of times to a key frame, with the publishers or subscriptions that saw none. */
function keyframeTimes(p50: number | undefined, p99: number | undefined, none = 0): string {
  return `${f0(p50)} / ${f0(p99)}${none ? ` (${none} none)` : ""}`;
}

/** Late join → keyframe p50 / p99, the publishers never seen, and failed late joins. */
export function lateJoinCell(
  r: Pick<StepResult, "lateJoinP50Ms" | "lateJoinP99Ms" | "lateJoinMissing" | "lateJoinFailures">,
): string {
  const failed = r.lateJoinFailures?.length ?? 0;
  if (r.lateJoinP50Ms === undefined && !failed && !r.lateJoinMissing) return "–";
  return (
    keyframeTimes(r.lateJoinP50Ms, r.lateJoinP99Ms, r.lateJoinMissing) +
    (failed ? ` (${failed} failed)` : "")
  );
}

/** Layer switch → key frame on the new layer p50 / p99, and the publishers never seen on it. */
export function layerSwitchCell(
  r: Pick<StepResult, "layerSwitchP50Ms" | "layerSwitchP99Ms" | "layerSwitchMissing">,
): string {
  if (r.layerSwitchP50Ms === undefined && !r.layerSwitchMissing) return "–";
  return keyframeTimes(r.layerSwitchP50Ms, r.layerSwitchP99Ms, r.layerSwitchMissing);
}

function rowOf(r: StepResult | undefined): string[] {
  if (!r) return Array(HEAD.length).fill("–");
  if (r.error) {
    return [`failed: ${r.error.replace(/\|/g, "/")}`, ...Array(HEAD.length - 1).fill("")];
  }
  return [
    f0(r.sentPps),
    f0(r.forwardedPps),
    f1(r.forwardedMbps),
    f2(r.sutCores),
    f0(r.ppsPerCore),
    f1(r.mbpsPerCore),
    pct(r.loss) +
      (r.loss >= runDefaults.lossLimit ? " ⚠" : "") +
      (r.silentStreams ? ` (${r.silentStreams} streams silent)` : "") +
      (r.outOfOrder || r.duplicates ? ` (${r.outOfOrder} late, ${r.duplicates} dup)` : ""),
    `${f1(r.delayP50Ms)} / ${f1(r.delayP99Ms)}`,
    r.probe
      ? r.probe.failure
        ? `– (${r.probe.failure.replace(/\|/g, "/").slice(0, 60)})`
        : `${f1(r.probe.delayP50Ms)} / ${f1(r.probe.delayP99Ms)}` +
          (r.probe.loss >= runDefaults.lossLimit ? ` (loss ${pct(r.probe.loss)})` : "")
      : "–",
    keyframeCell(r),
    lateJoinCell(r),
    layerSwitchCell(r),
    f2(r.memPerParticipantMiB),
    f2(r.cpuPerParticipant * 100),
    (r.layerMix.map((v) => (v * 100).toFixed(0)).join("/") || "–") +
      (r.layerSwitches ? ` (${r.layerSwitches} switches)` : ""),
    `${f2(r.loadCores)}${r.loadSaturated ? " ⚠" : ""} (loop p99 ${f0(r.loadLoopP99Ms)} ms; ` +
      `${f1(r.loadUsPerPacket)} us/pkt)`,
    r.failures.length ? String(r.failures.length) : "0",
  ];
}

const HEAD = [
  "pkt/s sent by publishers",
  "pkt/s fwd",
  "Mb/s fwd",
  "SUT cores",
  "pkt/s per core",
  "Mb/s per core",
  "loss",
  "delay p50/p99 ms",
  "probe delay p50/p99 ms",
  "join→keyframe p50/p99 ms (load cores meanwhile)",
  "late join→keyframe p50/p99 ms",
  "layer switch→keyframe p50/p99 ms",
  "MiB per participant",
  "% core per participant",
  "video f/h/q %",
  "load cores (event-loop delay; CPU per packet)",
  "failed joins",
];

export function markdownReport(input: ReportInput): string {
  const m = input.machine;
  const lines: string[] = [];
  lines.push(`# Benchmark: matrix-focus vs Janus VideoRoom (${input.quick ? "quick" : "full"})`);
  lines.push("");
  const took = input.finishedAt
    ? `, ${durationText(input.finishedAt.getTime() - input.startedAt.getTime())}`
    : "";
  lines.push(`Run ${input.startedAt.toISOString()}${took}; see docs/benchmark.md for the method.`);
  lines.push("");
  if (input.note) {
    lines.push(`Conditions: ${input.note}`);
    lines.push("");
  }
  lines.push("| machine | |");
  lines.push("|---|---|");
  lines.push(`| matrix-focus revision | ${m.revision} |`);
  lines.push(`| cores (nproc) | ${m.nproc} |`);
  lines.push(`| CPU | ${m.cpuModel} |`);
  lines.push(`| memory | ${m.memoryGiB} GiB |`);
  lines.push(`| kernel | ${m.kernel} |`);
  lines.push(
    `| load average (1 min) | ${m.loadAverage.toFixed(2)} at the start` +
      (input.loadAverageEnd !== undefined
        ? `, ${input.loadAverageEnd.toFixed(2)} at the end |`
        : " |"),
  );
  lines.push(`| Node | ${m.node} |`);
  lines.push(`| werift | ${m.werift} |`);
  lines.push(`| Janus | ${m.janus} |`);
  lines.push(
    `| pinning | SUT on core ${runDefaults.sutCore}, load generator: ` +
      `${loadProcessesText(input.loadCores ?? runDefaults.loadCores)} |`,
  );
  const seen = [
    ...new Set(
      input.results.flatMap((r) =>
        r.pinned ? [`SUT ${r.pinned.sut} / load ${r.pinned.load}`] : [],
      ),
    ),
  ];
  if (seen.length) lines.push(`| affinity seen in /proc | ${seen.join("; ")} |`);
  lines.push(
    `| priority | ${input.nice === undefined ? `default (nice 0; the probe at nice ${runDefaults.probe.nice})` : `SUT and load at nice ${input.nice}, the probe 5 ahead`} |`,
  );
  lines.push(`| load media path | ${input.mediaPath ?? runDefaults.loadMediaPath} |`);
  lines.push(
    `| publishers' sending | ${input.loadShape ?? "frames aligned, video unpaced (each frame in one burst)"} |`,
  );
  lines.push(
    `| window | ${input.measureMs / 1000} s measured after ${input.warmupMs / 1000} s of media |`,
  );
  lines.push("");
  const scenariosRun = [...new Set(input.results.map((r) => r.scenario))];
  lines.push("## Headline: packets/s per core of the SUT at < 1% loss");
  lines.push("");
  lines.push(
    "| scenario | ours: best step (x) | Janus: best step (x) | ours / Janus at the largest x where both stayed < 1% | " +
      "probe delay p99 at half load: ours | Janus | load-bound steps |",
  );
  lines.push("|---|---|---|---|---|---|---|");
  for (const s of scenariosRun) {
    const o = bestUnderLoss(input.results, s, "focus");
    const j = bestUnderLoss(input.results, s, "janus");
    const at = (r: StepResult | undefined) => (r ? `${f0(r.ppsPerCore)} (x=${r.x})` : "–");
    const both = sameStepUnderLoss(input.results, s);
    const like = both
      ? `${ratio(both.ours.ppsPerCore, both.janus.ppsPerCore)} (x=${both.ours.x})`
      : "–";
    const half = (t: "focus" | "janus") => probeAtHalfLoad(halfLoadStep(input.results, s, t));
    const bound = loadBoundSteps(input.results, s).join(", ") || "none";
    lines.push(
      `| ${s} | ${at(o)} | ${at(j)} | ${like} | ${half("focus")} | ${half("janus")} | ${bound} |`,
    );
  }
  lines.push("");
  lines.push(
    "Half load: the step (< 1% loss, not load-bound) whose SUT CPU came closest to 0.5 cores. Probe delay: " +
      "end-to-end delay of the probe's own publisher → SUT → subscriber, in a separate, idle " +
      "load process (docs/benchmark.md). Load-bound: a load core was ≥ 90% busy or the load's " +
      "sockets dropped > 1% of what they received; left out of the other columns. " +
      "Join → keyframe: from a subscriber's request to its first key frame of each publisher; in " +
      "brackets the busiest load core's CPU from the first request to the last of those key " +
      "frames (⚠ at ≥ 0.9 cores: the load's own answers held the joins up) and the load's " +
      "largest event-loop delay p99 from the first request to the window. Late join → keyframe: " +
      `after the window, ${runDefaults.lateJoin.count} participants join the running call one at a time ` +
      "(publishing when its members do, in a process of their own) and leave again; from the " +
      "join's first request (invite, Janus join) to the first key frame of each publisher. Layer " +
      "switch → keyframe: each late joiner then asks for another layer (f, or q when it had f); " +
      "from that request to the first key frame of each publisher on it.",
  );
  lines.push("");
  for (const s of scenariosRun) {
    lines.push(`## Scenario \`${s}\``);
    lines.push("");
    lines.push(`| x | SUT | ${HEAD.join(" | ")} |`);
    lines.push(`|---|---|${HEAD.map(() => "---").join("|")}|`);
    const xs = [...new Set(input.results.filter((r) => r.scenario === s).map((r) => r.x))];
    for (const x of xs.sort((a, b) => a - b)) {
      const o = input.results.find((r) => r.scenario === s && r.x === x && r.target === "focus");
      const j = input.results.find((r) => r.scenario === s && r.x === x && r.target === "janus");
      lines.push(`| ${x} | ours | ${rowOf(o).join(" | ")} |`);
      lines.push(`| ${x} | Janus | ${rowOf(j).join(" | ")} |`);
      if (o && j && !o.error && !j.error) {
        lines.push(
          `| ${x} | ours/Janus | | ${ratio(o.forwardedPps, j.forwardedPps)} | ` +
            `${ratio(o.forwardedMbps, j.forwardedMbps)} | ${ratio(o.sutCores, j.sutCores)} | ` +
            `${ratio(o.ppsPerCore, j.ppsPerCore)} | ${ratio(o.mbpsPerCore, j.mbpsPerCore)} | | ` +
            `${diff(o.delayP50Ms, j.delayP50Ms)} / ${diff(o.delayP99Ms, j.delayP99Ms)} ms | ` +
            `${diff(o.probe?.delayP50Ms, j.probe?.delayP50Ms)} / ` +
            `${diff(o.probe?.delayP99Ms, j.probe?.delayP99Ms)} ms | ` +
            `${ratio(o.keyframeP50Ms, j.keyframeP50Ms)} / ${ratio(o.keyframeP99Ms, j.keyframeP99Ms)} | ` +
            `${ratio(o.lateJoinP50Ms, j.lateJoinP50Ms)} / ${ratio(o.lateJoinP99Ms, j.lateJoinP99Ms)} | ` +
            `${ratio(o.layerSwitchP50Ms, j.layerSwitchP50Ms)} / ` +
            `${ratio(o.layerSwitchP99Ms, j.layerSwitchP99Ms)} | ` +
            `${ratio(o.memPerParticipantMiB, j.memPerParticipantMiB)} | ` +
            `${ratio(o.cpuPerParticipant, j.cpuPerParticipant)} | | | |`,
        );
      }
    }
    lines.push("");
    const notes = input.results
      .filter((r) => r.scenario === s)
      .flatMap((r) => [
        ...(r.sutOwn
          ? [
              `x=${r.x} ${r.target}: its own counters: ${f0(r.sutOwn.packetsIn)} pkt/s in ` +
                `(publishers sent ${f0(r.sentPps)}), ${f0(r.sutOwn.packetsOut)} pkt/s out ` +
                `(subscribers received ${f0(r.forwardedPps)})`,
            ]
          : []),
        ...(r.sutUdpDrops
          ? [
              `x=${r.x} ${r.target}: the kernel dropped ${r.sutUdpDrops} datagrams at its ` +
                "sockets (receive buffer full: it did not read them in time)",
            ]
          : []),
        ...(r.loadUdpDrops
          ? [
              `x=${r.x} ${r.target}: the load generator's sockets dropped ${r.loadUdpDrops} ` +
                "datagrams (its loss, not the SUT's)",
            ]
          : []),
        ...r.failures.slice(0, 2).map((f) => `x=${r.x} ${r.target}: join failed: ${f}`),
        ...r.problems.slice(0, 3).map((p) => `x=${r.x} ${r.target}: ${p}`),
      ]);
    if (notes.length) {
      lines.push("Notes on the steps (SUT counters, and the first failures and reports per step):");
      lines.push("");
      for (const n of notes) lines.push(`- ${n.replace(/\n/g, " ")}`);
      lines.push("");
    }
  }
  lines.push("⚠ loss: at or above the 1% limit. ⚠ load cores: the load generator used ≥ 90% of");
  lines.push(
    "its core or its sockets dropped > 1% of what it received, so the step may measure the",
  );
  lines.push("load generator rather than the SUT; such steps are left out of the headline.");
  lines.push("");
  return lines.join("\n");
}
