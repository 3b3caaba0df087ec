// `node bench/saturation.ts [--calls 6,13,14,...] [--setups 1,2] [--nice=-10] [--measure ms] [--warmup ms]
//  [--out file] [--note text]`
// Throughput at saturation on one core against two (docs/benchmark.md "Saturation on shared
// cores"). On a 2-core machine the load generator cannot have cores of its own while the focus
// has two, so here the focus and the load share the cores, the same way in both set-ups:
//   1 core   the focus with its conference layer on the main thread (workers: 1) and one load
//            process, both pinned to core 0, at x calls of 4;
//   2 cores  the focus with two conference workers and one load process per core, all on
//            cores 0 and 1, at 2x calls of 4.
// One media thread of the focus per load process in both, so that the scheduler's fair share
// splits each core between them alike. A step carries its calls in full when it loses < 1%,
// no join fails and it forwards at least 97% of the packets per call of the set-up's first
// (unloaded) step: past its core the focus forwards fewer packets before it loses any. Each ladder
// climbs until a step does not. With perfect scaling the 2-core step at 2x looks like the 1-core
// step at x, and two cores carry twice the calls and packets of one.
import { writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { mediaProfile, runDefaults } from "./config/defaults.ts";
import { scenarios } from "./config/scenarios.ts";
import { asPercent } from "./lib/loopBusy.ts";
import { machineInfo } from "./lib/machine.ts";
import {
  carried,
  carriesInFull,
  type LadderStep,
  perCall,
  referencePerCall,
} from "./lib/saturation.ts";
import { namespaceForRun } from "./runner/namespace.ts";
import { groupNiceForRun } from "./runner/priority.ts";
import { runThreadStep, type ThreadStep } from "./runner/threadStep.ts";

const { values } = parseArgs({
  options: {
    calls: { type: "string", default: "6,13,14,15,16,17,18,19,20,21,22" },
    setups: { type: "string", default: "1,2" },
    measure: { type: "string", default: "10000" },
    warmup: { type: "string", default: "4000" },
    nice: { type: "string" },
    out: { type: "string" },
    note: { type: "string" },
  },
});

interface Setup {
  name: string;
  cores: number;
  workers: number;
  focusCores: string;
  loadCores: number[];
}
const setups: Setup[] = [
  { name: "1 core", cores: 1, workers: 1, focusCores: "0", loadCores: [0] },
  { name: "2 cores", cores: 2, workers: 2, focusCores: "0,1", loadCores: [0, 1] },
].filter((s) => (values.setups ?? "").split(",").map(Number).includes(s.cores));

/** A step's outcome (result or error, CPU by thread) with its set-up. */
interface Row extends ThreadStep {
  setup: Setup;
  calls: number;
}

const scenario = scenarios.find((s) => s.name === "smallcalls");
if (!scenario) throw new Error("no smallcalls scenario");
const ladder = (values.calls ?? "").split(",").map(Number);
const measureMs = Number(values.measure);
const warmupMs = Number(values.warmup);
const nice = values.nice === undefined ? undefined : Number(values.nice);
const { lossLimit } = runDefaults;
/** A step forwarding less than this share of a call's packets is past its limit. */
const fullShare = 0.97;
/** A step whose subscribers' median delay reached this is past its limit (a standing queue). */
const delayP50LimitMs = 100;
const log = (line: string) => process.stdout.write(`${line}\n`);
const machine = machineInfo("/nonexistent");
log(
  `saturation: ${machine.nproc} cores (${machine.cpuModel}), load average ${machine.loadAverage.toFixed(2)}; ` +
    `window ${measureMs / 1000} s after ${warmupMs / 1000} s`,
);
const restoreGroupNice = groupNiceForRun(nice);
const ns = namespaceForRun(log, restoreGroupNice);

const ms = (v: number | undefined) => (v === undefined ? "–" : v.toFixed(1));

async function step(setup: Setup, calls: number): Promise<Row> {
  log(`${setup.name}: ${calls} calls of 4`);
  const { r, error, threads } = await runThreadStep({
    scenario: scenario as NonNullable<typeof scenario>,
    x: calls,
    ns,
    profile: mediaProfile,
    warmupMs,
    measureMs,
    loadCores: setup.loadCores,
    lateJoin: { ...runDefaults.lateJoin, count: 0 },
    nice,
    focusHost: { workers: setup.workers, cores: setup.focusCores },
    log,
  });
  if (r) {
    log(
      `  ${r.forwardedPps.toFixed(0)} pkt/s forwarded, loss ${(r.loss * 100).toFixed(2)}%, ` +
        `delay p50 ${ms(r.delayP50Ms)} ms p99 ${ms(r.delayP99Ms)} ms, ` +
        `focus ${r.sutCores.toFixed(2)} cores, load ${r.loadCores.toFixed(2)} cores; the load's ` +
        `event-loop delay p99 ${r.loadLoopP99Ms?.toFixed(0) ?? "–"} ms (during the joins ` +
        `${r.joinLoopP99Ms?.toFixed(0) ?? "–"} ms)`,
    );
  }
  return { setup, calls, ...(r ? { r } : { error: error ?? "failed" }), threads };
}

const rule = { lossLimit, fullShare, delayP50LimitMs };
/** A ladder step of a row, for the rule in lib/saturation.ts. */
const ladderStep = (row: Row): LadderStep => ({
  calls: row.calls,
  forwardedPps: row.r?.forwardedPps,
  loss: row.r?.loss,
  failedJoins: row.r?.failures.length,
  delayP50Ms: row.r?.delayP50Ms,
});
const rows: Row[] = [];
/** The ladder steps a set-up has run so far. */
const stepsOf = (setup: Setup) => rows.filter((r) => r.setup === setup).map(ladderStep);
try {
  // interleaved, so that the machine's drift over the run weighs on both set-ups alike
  const done = new Set<Setup>();
  for (const x of ladder) {
    for (const setup of setups) {
      if (done.has(setup)) continue;
      const row = await step(setup, x * setup.cores);
      rows.push(row);
      if (carried(stepsOf(setup), rule).reachedLimit) done.add(setup);
    }
    if (done.size === setups.length) break;
  }
} finally {
  ns.close();
  restoreGroupNice?.();
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const cmd =
  `node bench/saturation.ts --calls ${ladder.join(",")} --setups ${values.setups} --measure ${measureMs} --warmup ${warmupMs}` +
  (nice === undefined ? "" : ` --nice=${nice}`);
const lines: string[] = [
  "# Throughput at saturation: one core against two",
  "",
  `Run ${new Date().toISOString()} by \`${cmd}\`; ${machine.nproc} cores (${machine.cpuModel}), ` +
    `Node ${process.versions.node}, load average ${machine.loadAverage.toFixed(2)} at the start, ` +
    `${os.loadavg()[0]?.toFixed(2)} at the end. The focus and the load generator share the ` +
    "cores in both set-ups; method and limits: docs/benchmark.md, section Saturation on shared cores.",
  ...(values.note ? ["", values.note] : []),
  "",
  "| set-up | calls of 4 | fwd pkt/s | fwd pkt/s per call | in full | loss | delay p50/p99 ms | focus cores | load cores | load packets sent/s | focus event loops busy: joins, window | focus CPU by thread (cores) |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|",
];
const reference = new Map(setups.map((s) => [s, referencePerCall(stepsOf(s))]));
for (const row of rows) {
  const r = row.r;
  const s = ladderStep(row);
  const full = carriesInFull(s, reference.get(row.setup) ?? 0, rule);
  lines.push(
    r
      ? `| ${row.setup.name} | ${row.calls} | ${r.forwardedPps.toFixed(0)} | ${perCall(s).toFixed(0)} | ${full ? "yes" : "no"} | ` +
          `${pct(r.loss)}${r.failures.length ? ` (${r.failures.length} joins failed)` : ""} | ` +
          `${ms(r.delayP50Ms)} / ${ms(r.delayP99Ms)} | ` +
          `${r.sutCores.toFixed(2)} | ${r.loadCores.toFixed(2)} | ${r.sentPps.toFixed(0)} | ` +
          `${asPercent(r.sutLoopBusyJoins)}, ${asPercent(r.sutLoopBusy)} | ` +
          `${Object.entries(row.threads)
            .map(([k, v]) => `${k} ${v.toFixed(2)}`)
            .join(", ")} |`
      : `| ${row.setup.name} | ${row.calls} | failed: ${row.error} | | no | | | | | | | |`,
  );
}
const outcome = setups.map((setup) => ({ setup, ...carried(stepsOf(setup), rule) }));
const bound = (t: { reachedLimit: boolean }) =>
  t.reachedLimit ? "" : " (no step of this ladder reached the limit: a lower bound)";
lines.push(
  "",
  `Carried in full (< ${lossLimit * 100}% loss, ≥ ${fullShare * 100}% of the first step's packets per call, ` +
    `median delay < ${delayP50LimitMs} ms): ` +
    outcome
      .map(
        (o) =>
          `${o.setup.name} ${o.calls} calls, at most ${o.pps.toFixed(0)} pkt/s forwarded${bound(o)}`,
      )
      .join("; ") +
    ".",
);
const [one, two] = outcome;
if (one && two && one.calls > 0 && one.pps > 0) {
  lines.push(
    "",
    `2 cores / 1 core: **${(two.calls / one.calls).toFixed(2)}×** the calls, **${(two.pps / one.pps).toFixed(2)}×** the packets/s.`,
  );
}
const out = values.out ?? new URL("./results/saturation.md", import.meta.url).pathname;
writeFileSync(out, `${lines.join("\n")}\n`);
log(`wrote ${out}`);
