// `node bench/scaling.ts [--calls 5,10] [--scenario smallcalls|call] [--spread N] [--measure ms]
//  [--warmup ms] [--out file] [--note text]`
// How our focus scales from one to two cores with its conference workers (docs/benchmark.md
// "Scaling"): the `smallcalls` scenario (calls of 4; or `--scenario call`, one call of x, with
// `--spread N` spreading it over the workers above N devices each) at the same load against
//   A  the conference layer on the main thread (workers: 1), pinned to core 0,
//   B  two worker threads pinned to core 0 only (the cost of the threads themselves),
//   C  two worker threads on cores 0 and 1 (the load generator shares core 1),
// and reports forwarded pkt/s, the SUT's CPU (all its threads, /proc/<pid>/stat), pkt/s per
// core, loss, how the CPU splits over the SUT's threads (/proc/<pid>/task/*/stat) and the
// scaling ratio: measured per-core efficiency and the projected 2-core capacity.
import { writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { mediaProfile, runDefaults } from "./config/defaults.ts";
import { scenarios } from "./config/scenarios.ts";
import { machineInfo } from "./lib/machine.ts";
import { namespaceForRun } from "./runner/namespace.ts";
import { runThreadStep, type ThreadStep } from "./runner/threadStep.ts";

const { values } = parseArgs({
  options: {
    calls: { type: "string", default: "5,10" },
    scenario: { type: "string", default: "smallcalls" },
    spread: { type: "string", default: "0" },
    measure: { type: "string", default: "10000" },
    warmup: { type: "string", default: "4000" },
    out: { type: "string" },
    note: { type: "string" },
  },
});

interface Setup {
  name: string;
  workers: number;
  cores: string;
}
const setups: Setup[] = [
  { name: "A: main thread, core 0", workers: 1, cores: "0" },
  { name: "B: 2 workers, core 0", workers: 2, cores: "0" },
  { name: "C: 2 workers, cores 0+1", workers: 2, cores: "0,1" },
];

/** A step's outcome (result or error, CPU by thread) with its set-up. */
interface Row extends ThreadStep {
  setup: Setup;
  calls: number;
}

const scenario = scenarios.find((s) => s.name === values.scenario);
if (!scenario) throw new Error(`no scenario ${values.scenario}`);
const spreadAbove = Number(values.spread);
const calls = (values.calls ?? "5,10").split(",").map(Number);
const measureMs = Number(values.measure);
const warmupMs = Number(values.warmup);
const log = (line: string) => process.stdout.write(`${line}\n`);
const machine = machineInfo("/nonexistent");
log(
  `scaling: ${machine.nproc} cores (${machine.cpuModel}), load average ${machine.loadAverage.toFixed(2)}; ` +
    `load generator on core ${runDefaults.loadCores.join(",")}; window ${measureMs / 1000} s after ${warmupMs / 1000} s`,
);
const ns = namespaceForRun(log);

const rows: Row[] = [];
try {
  for (const x of calls) {
    for (const setup of setups) {
      log(`${scenario.name} x=${x} ${setup.name}`);
      const { r, error, threads } = await runThreadStep({
        scenario,
        x,
        ns,
        profile: mediaProfile,
        warmupMs,
        measureMs,
        loadCores: runDefaults.loadCores,
        focusHost: { workers: setup.workers, cores: setup.cores, spreadAbove },
        log,
      });
      rows.push({ setup, calls: x, r, ...(error !== undefined ? { error } : {}), threads });
      if (r) {
        log(
          `  ${r.forwardedPps.toFixed(0)} pkt/s forwarded, SUT ${(r.sutCores * 100).toFixed(0)}% of a core ` +
            `-> ${r.ppsPerCore.toFixed(0)} pkt/s per core; loss ${(r.loss * 100).toFixed(2)}%; ` +
            `join→keyframe p50 ${r.keyframeP50Ms?.toFixed(0) ?? "–"} ms; threads ` +
            Object.entries(threads)
              .map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`)
              .join(", "),
        );
      }
    }
  }
} finally {
  ns.close();
}

const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
const lines: string[] = [
  "# Scaling of the focus over cores (conference workers)",
  "",
  `Run ${new Date().toISOString()} by \`node bench/scaling.ts --calls ${calls.join(",")} --scenario ${scenario.name} --spread ${spreadAbove} --measure ${measureMs} --warmup ${warmupMs}\`; ` +
    `${machine.nproc} cores (${machine.cpuModel}), load average ${machine.loadAverage.toFixed(2)} at the start, ` +
    `${os.loadavg()[0]?.toFixed(2)} at the end. Load generator on core ${runDefaults.loadCores.join(",")}. ` +
    "Method and limits: docs/benchmark.md, section Scaling.",
  ...(values.note ? ["", values.note] : []),
  "",
  `| ${scenario.name === "call" ? "call of" : "calls of 4"} | setup | fwd pkt/s | SUT cores | pkt/s per core | loss | join→keyframe p50 ms | load cores | CPU by thread (cores) |`,
  "|---|---|---|---|---|---|---|---|---|",
];
for (const row of rows) {
  const r = row.r;
  lines.push(
    r
      ? `| ${row.calls} | ${row.setup.name} | ${r.forwardedPps.toFixed(0)} | ${r.sutCores.toFixed(2)} | ` +
          `${r.ppsPerCore.toFixed(0)} | ${pct(r.loss)} | ${r.keyframeP50Ms?.toFixed(0) ?? "–"} | ` +
          `${r.loadCores.toFixed(2)}${r.loadSaturated ? " ⚠" : ""} | ` +
          `${Object.entries(row.threads)
            .map(([k, v]) => `${k} ${v.toFixed(2)}`)
            .join(", ")} |`
      : `| ${row.calls} | ${row.setup.name} | failed: ${row.error} | | | | | | |`,
  );
}
lines.push(
  "",
  "## Ratios (same configured load; compare fwd pkt/s: the delivered load differs)",
  "",
);
lines.push(
  "| calls | per-core efficiency B/A | per-core efficiency C/A | busiest worker's share of the SUT's CPU (C) | projected 2-core capacity / 1-core capacity |",
  "|---|---|---|---|---|",
);
for (const x of calls) {
  const get = (i: number) => rows.find((r) => r.calls === x && r.setup === setups[i])?.r;
  const [A, B, C] = [get(0), get(1), get(2)];
  const cRow = rows.find((r) => r.calls === x && r.setup === setups[2]);
  if (!A || !B || !C || !cRow) {
    lines.push(`| ${x} | – | – | – | – |`);
    continue;
  }
  const workers = Object.entries(cRow.threads).filter(([k]) => k.startsWith("focus-worker"));
  const busiest = Math.max(0, ...workers.map(([, v]) => v));
  const share = C.sutCores > 0 ? busiest / C.sutCores : 0;
  // 1 core: the rate at which the SUT (all its threads on that core) fills it. 2 cores: the
  // rate at which the busiest worker fills its core, or both cores are full, whichever first.
  const capA = A.ppsPerCore;
  const capC =
    busiest > 0 ? Math.min(C.forwardedPps / busiest, (2 * C.forwardedPps) / C.sutCores) : 0;
  lines.push(
    `| ${x} | ${(B.ppsPerCore / A.ppsPerCore).toFixed(2)} | ${(C.ppsPerCore / A.ppsPerCore).toFixed(2)} | ` +
      `${pct(share)} | ${capA > 0 ? (capC / capA).toFixed(2) : "–"} |`,
  );
}
const out = values.out ?? new URL("./results/scaling.md", import.meta.url).pathname;
writeFileSync(out, `${lines.join("\n")}\n`);
log(`wrote ${out}`);
