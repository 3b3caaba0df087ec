// `npm run bench [-- --quick] [--scenario call,fanout] [--target focus,janus]`
// Runs every scenario step against our focus and against Janus VideoRoom, one after the
// other on the same core, and writes a markdown table, a PNG plot and the raw JSON under
// bench/results/. See docs/benchmark.md.
import { existsSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { janusDefaults, mediaProfile, runDefaults } from "./config/defaults.ts";
import { scenarios } from "./config/scenarios.ts";
import { machineInfo } from "./lib/machine.ts";
import type { MediaPath } from "./load/ipc.ts";
import { writeReport } from "./report/writeReport.ts";
import { namespaceForRun } from "./runner/namespace.ts";
import { groupNiceForRun } from "./runner/priority.ts";
import type { StepResult } from "./runner/results.ts";
import { runStep } from "./runner/runStep.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    scenario: { type: "string" },
    target: { type: "string", default: "focus,janus" },
    steps: { type: "string" },
    measure: { type: "string" },
    warmup: { type: "string" },
    out: { type: "string" },
    note: { type: "string" },
    "load-cores": { type: "string" },
    "focus-prof": { type: "string" },
    "focus-cpu-prof": { type: "string" },
    "no-probe": { type: "boolean", default: false },
    "aligned-frames": { type: "boolean", default: false },
    unpaced: { type: "boolean", default: false },
    "load-path": { type: "string" },
    nice: { type: "string" },
    "focus-workers": { type: "string" },
    "focus-spread": { type: "string" },
    "focus-cores": { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  process.stdout.write(`npm run bench -- [options]   (see docs/benchmark.md)
  --quick                 short ladders, 2 s warm-up, 5 s window (under 3 minutes)
  --scenario a,b          ${scenarios.map((s) => s.name).join(", ")}
  --steps 2,5             these values of x instead of the ladder
  --target focus,janus    which systems to measure
  --measure ms --warmup ms
  --load-cores 1,1        one load generator process per entry, pinned to that core (default
                          ${runDefaults.loadCores.join(",")})
  --out dir               results folder (default bench/results)
  --focus-prof dir        write a V8 CPU profile of our focus's measurement window per step into dir
  --focus-cpu-prof dir    write a V8 CPU profile of our focus's whole life per step (joins too) into dir
  --note text             conditions, printed in the report
  --no-probe              without the delay probe
  --aligned-frames        every publisher sends its frames at the same moment (default: each
                          at its own offset within the frame period, as independent cameras)
  --unpaced               each video frame leaves in one burst (default: paced as libwebrtc does)
  --load-path lean|intercept|werift  the load generator's receive path (default lean)
  --nice=-10              run the SUT and the load at this nice value (a shared machine)
  --focus-workers N       our focus with N conference worker threads, pinned to N cores (default 1)
  --focus-spread N        with --focus-workers: spread a conference over them above N devices each
  --focus-cores 0         pin our focus to these cores (taskset list) instead of one per worker
`);
  process.exit(0);
}

const quick = values.quick ?? false;
const framePhases = values["aligned-frames"] ? "aligned" : runDefaults.framePhases;
const profile = { ...mediaProfile, ...(values.unpaced ? { pacingFactor: 0 } : {}) };
const loadShape =
  `frames ${framePhases}, video ` +
  (profile.pacingFactor > 0
    ? `paced at ${profile.pacingFactor}× its bitrate, released every ${profile.pacingIntervalMs} ms`
    : "unpaced (each frame in one burst)");
const loadCores = values["load-cores"]
  ? values["load-cores"].split(",").map(Number)
  : runDefaults.loadCores;
const wanted = values.scenario?.split(",");
let targets = (values.target ?? "focus,janus").split(",") as ("focus" | "janus")[];
const chosen = scenarios.filter((s) => !wanted || wanted.includes(s.name));
const log = (line: string) => process.stdout.write(`${line}\n`);

const measureMs = Number(
  values.measure ?? (quick ? runDefaults.quickMeasureMs : runDefaults.measureMs),
);
const warmupMs = Number(
  values.warmup ?? (quick ? runDefaults.quickWarmupMs : runDefaults.warmupMs),
);
const machine = machineInfo(janusDefaults.binary);
const startedAt = new Date();
log(
  `bench ${quick ? "quick" : "full"}: ${machine.nproc} cores (${machine.cpuModel}), ` +
    `load average ${machine.loadAverage.toFixed(2)}; SUT on core ${runDefaults.sutCore}, ` +
    `load on core(s) ${loadCores.join(",")}; window ${measureMs / 1000} s after ${warmupMs / 1000} s; ` +
    `publishers: ${loadShape}`,
);
if (targets.includes("janus") && !existsSync(janusDefaults.binary)) {
  log(
    `Janus is not installed (${janusDefaults.binary}; apt-get install -y janus): measuring our focus only`,
  );
  targets = targets.filter((t) => t !== "janus");
}
const restoreGroupNice = groupNiceForRun(
  values.nice === undefined ? undefined : Number(values.nice),
);
if (restoreGroupNice) log(`this run's scheduler group set to nice ${values.nice}`);
const ns = namespaceForRun(log, restoreGroupNice);

const results: StepResult[] = [];
try {
  for (const s of chosen) {
    const steps = values.steps
      ? values.steps.split(",").map(Number)
      : quick
        ? s.quickSteps
        : s.steps;
    const stopped = new Map<string, string>();
    for (const x of steps) {
      for (const target of targets) {
        log(`${s.name} x=${x} ${target}`);
        const budget = quick ? runDefaults.quickBudgetMs : runDefaults.budgetMs;
        if (Date.now() - startedAt.getTime() > budget && !values.steps) {
          stopped.set(target, `the run's time budget (${budget / 60_000} min) was used up`);
        }
        const why = stopped.get(target);
        if (why) {
          log(`  skipped: ${why}`);
          results.push(failedStep(s.name, target, x, `skipped: ${why}`));
          continue;
        }
        try {
          const r = await runStep({
            scenario: s,
            x,
            target,
            ns,
            profile,
            warmupMs,
            measureMs,
            sutCore: runDefaults.sutCore,
            loadCores,
            probe: { ...runDefaults.probe, enabled: !values["no-probe"] },
            mediaPath: mediaPathOf(values["load-path"]),
            framePhases,
            nice: values.nice === undefined ? undefined : Number(values.nice),
            focusHost: {
              ...(values["focus-prof"] ? { windowProfDir: values["focus-prof"] } : {}),
              ...(values["focus-cpu-prof"] ? { cpuProfDir: values["focus-cpu-prof"] } : {}),
              ...(values["focus-workers"] ? { workers: Number(values["focus-workers"]) } : {}),
              ...(values["focus-spread"] ? { spreadAbove: Number(values["focus-spread"]) } : {}),
              ...(values["focus-cores"] ? { cores: values["focus-cores"] } : {}),
            },
            log,
          });
          results.push(r);
          if (r.loss >= runDefaults.stopLadderLoss || r.failures.length > r.participants / 2) {
            stopped.set(target, `x=${x} already lost ${(r.loss * 100).toFixed(0)}%`);
          }
          log(
            `  ${r.forwardedPps.toFixed(0)} pkt/s forwarded (${r.forwardedMbps.toFixed(1)} Mb/s), ` +
              `SUT ${(r.sutCores * 100).toFixed(0)}% of a core -> ${r.ppsPerCore.toFixed(0)} pkt/s per core; ` +
              `loss ${(r.loss * 100).toFixed(2)}%, delay p50 ${ms(r.delayP50Ms)} p99 ${ms(r.delayP99Ms)}; ` +
              `offered ${r.sentPps.toFixed(0)} pkt/s; load ${(r.loadCores * 100).toFixed(0)}% of a core ` +
              `(${r.loadUsPerPacket.toFixed(1)} us per packet)` +
              (r.probe
                ? `; probe delay p50 ${ms(r.probe.delayP50Ms)} p99 ${ms(r.probe.delayP99Ms)}` +
                  (r.probe.failure ? ` (${r.probe.failure})` : "")
                : ""),
          );
        } catch (e) {
          const message = (e as Error).message;
          log(`  failed: ${message.split("\n").slice(0, 6).join("\n  ")}`);
          results.push(failedStep(s.name, target, x, message));
          stopped.set(target, `x=${x} failed`);
        }
      }
    }
  }
} finally {
  ns.close();
  restoreGroupNice?.();
}
const files = await writeReport({
  results,
  machine,
  quick,
  startedAt,
  finishedAt: new Date(),
  measureMs,
  warmupMs,
  note: values.note,
  nice: values.nice === undefined ? undefined : Number(values.nice),
  mediaPath: mediaPathOf(values["load-path"]),
  loadShape,
  loadAverageEnd: os.loadavg()[0],
  loadCores,
  dir: values.out ?? new URL("./results/", import.meta.url).pathname,
});
log(`wrote ${files.join(", ")}`);

function mediaPathOf(v: string | undefined): MediaPath {
  if (v === undefined) return runDefaults.loadMediaPath;
  if (v === "lean" || v === "intercept" || v === "werift") return v;
  log(`unknown --load-path ${v} (lean, intercept or werift)`);
  process.exit(2);
}

function ms(v: number | undefined): string {
  return v === undefined ? "–" : `${v.toFixed(1)} ms`;
}

function failedStep(scenario: string, target: "focus" | "janus", x: number, error: string) {
  const r: StepResult = {
    scenario,
    target,
    x,
    participants: 0,
    publishers: 0,
    subscriptions: 0,
    failures: [],
    problems: [],
    seconds: 0,
    sutCores: 0,
    loadCores: 0,
    forwardedPps: 0,
    forwardedMbps: 0,
    ppsPerCore: 0,
    mbpsPerCore: 0,
    loss: 1,
    outOfOrder: 0,
    duplicates: 0,
    delayP50Ms: undefined,
    delayP99Ms: undefined,
    keyframeP50Ms: undefined,
    keyframeP99Ms: undefined,
    keyframesMissing: 0,
    memPerParticipantMiB: 0,
    sutRssMiB: 0,
    cpuPerParticipant: 0,
    sentPps: 0,
    layerMix: [],
    layerSwitches: 0,
    loadSaturated: false,
    loadLoopP99Ms: 0,
    loadUsPerPacket: 0,
    error: error.split("\n")[0] ?? error,
  };
  return r;
}
