// `node bench/ab.ts [--base HEAD~1] [--scenario fanout] [--steps 25] [--reps 3] [--nice=-10]`
// A/B of our focus against a baseline revision of packages/focus, in the same run: the
// baseline's sources are exported from git into .data/bench-baseline/<rev>/ (ignored by git,
// the linter and the test globs; inside the repository so that its imports resolve) and the focus host
// imports ConferenceManager from there; runs alternate A B, B A, ... on the same core with the
// same load, so that the noise of a shared machine hits both alike. Prints and writes a
// markdown table of every run and the new/base ratios (median of the runs).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { mediaProfile, runDefaults } from "./config/defaults.ts";
import { scenarios } from "./config/scenarios.ts";
import { type AbRun, abTable } from "./report/abTable.ts";
import { namespaceForRun } from "./runner/namespace.ts";
import { groupNiceForRun } from "./runner/priority.ts";
import { runStep } from "./runner/runStep.ts";

const { values } = parseArgs({
  options: {
    base: { type: "string", default: "HEAD" },
    new: { type: "string" },
    scenario: { type: "string", default: "fanout" },
    steps: { type: "string", default: "25" },
    reps: { type: "string", default: "3" },
    measure: { type: "string", default: "6000" },
    warmup: { type: "string", default: "2000" },
    out: { type: "string" },
    prof: { type: "string" },
    nice: { type: "string" },
  },
});

const root = new URL("../", import.meta.url).pathname;

/** Exports packages/focus/src of a revision; returns its short hash and its index module. */
function exportRevision(name: string): { rev: string; module: string } {
  const rev = execFileSync("git", ["rev-parse", "--short", name], { cwd: root }).toString().trim();
  const dir = `${root}.data/bench-baseline/${rev}`;
  if (!existsSync(`${dir}/packages/focus/src/index.ts`)) {
    mkdirSync(dir, { recursive: true });
    const tar = execFileSync("git", ["archive", rev, "packages/focus/src"], { cwd: root });
    execFileSync("tar", ["-x", "-C", dir], { input: tar });
    // no tests in the copy: the test runner's globs would pick them up
    execFileSync("find", [dir, "-name", "*.test.ts", "-delete"]);
  }
  // the native SRTP addon as built for the working tree (its interface has not changed since
  // it came in): without it the baseline would silently run the slower TypeScript path
  const built = `${root}packages/focus/native/build`;
  const link = `${dir}/packages/focus/native/build`;
  if (existsSync(built)) {
    mkdirSync(`${dir}/packages/focus/native`, { recursive: true });
    rmSync(link, { force: true }); // a link left by an earlier run, even a dangling one
    symlinkSync(built, link);
  }
  return { rev, module: `${dir}/packages/focus/src/index.ts` };
}

const base = exportRevision(values.base ?? "HEAD");
const rev = base.rev;
const baseModule = base.module;
/** `--new <rev>`: a committed revision instead of the working tree (others' edits left out). */
const fresh = values.new ? exportRevision(values.new) : undefined;
const log = (line: string) => process.stdout.write(`${line}\n`);
const reps = Number(values.reps);
const spec = scenarios.find((s) => s.name === values.scenario);
if (!spec) throw new Error(`unknown scenario ${values.scenario}`);
const loadStart = os.loadavg()[0] ?? 0;
log(
  `A/B ${spec.name} steps ${values.steps}: new (${fresh?.rev ?? "working tree"}) vs base ${rev}, ${reps} reps`,
);
log(`load average ${loadStart.toFixed(2)}`);

// as run.ts: the SUT and the load at this nice value (a shared machine), the probe 5 ahead
const nice = values.nice === undefined ? undefined : Number(values.nice);
const restoreGroupNice = groupNiceForRun(nice);
const ns = namespaceForRun(log, restoreGroupNice);
const runs: AbRun[] = [];
try {
  for (const x of (values.steps ?? "25").split(",").map(Number)) {
    for (let r = 0; r < reps; r++) {
      const order: ("new" | "base")[] = r % 2 === 0 ? ["new", "base"] : ["base", "new"];
      for (const variant of order) {
        const prof = values.prof ? `${values.prof}/${variant}` : undefined;
        if (prof) mkdirSync(prof, { recursive: true });
        const res = await runStep({
          scenario: spec,
          x,
          target: "focus",
          ns,
          profile: mediaProfile,
          warmupMs: Number(values.warmup),
          measureMs: Number(values.measure),
          sutCore: runDefaults.sutCore,
          loadCores: runDefaults.loadCores,
          nice,
          focusHost: {
            ...(variant === "base" ? { module: baseModule } : {}),
            ...(variant === "new" && fresh ? { module: fresh.module } : {}),
            ...(prof ? { windowProfDir: prof } : {}),
          },
          log: (l) => log(`  ${l}`),
        });
        const load = os.loadavg()[0] ?? 0;
        runs.push({ variant, x, rep: r, result: res, loadAverage: load });
        log(
          `${spec.name} x=${x} rep ${r} ${variant}: ${res.forwardedPps.toFixed(0)} pkt/s, ` +
            `SUT ${(res.sutCores * 100).toFixed(0)}% -> ${res.ppsPerCore.toFixed(0)} pkt/s per core, ` +
            `loss ${(res.loss * 100).toFixed(2)}%, drops ${res.sutUdpDrops ?? "?"}, load avg ${load.toFixed(2)}`,
        );
      }
    }
  }
} finally {
  ns.close();
  restoreGroupNice?.();
}
const md = abTable(runs, {
  scenario: spec.name,
  base: rev,
  fresh: fresh?.rev ?? "working tree",
  loadStart,
  loadEnd: os.loadavg()[0] ?? 0,
});
log(md);
if (values.out) {
  writeFileSync(values.out, `${md}\n`);
  writeFileSync(`${values.out.replace(/\.md$/, "")}.json`, JSON.stringify(runs, null, 1));
}
