// "Half of the maximum load" of a SUT in a scenario, for the delay target of the performance
// issue (added delay p99 < 5 ms at half load). A SUT's maximum load is one full core, so half
// load is the step whose SUT CPU came closest to 0.5 cores, among the steps that lost < 1%
// and were not load-bound (docs/benchmark.md). A step further than `nearCores` from 0.5 is still given, but marked:
// the ladder had no step near half load.
import { runDefaults } from "../config/defaults.ts";
import type { StepResult } from "../runner/results.ts";

export interface HalfLoad {
  step: StepResult;
  /** False when the closest step's SUT CPU is further than `nearCores` from 0.5. */
  near: boolean;
}

export function halfLoadStep(
  results: StepResult[],
  scenario: string,
  target: "focus" | "janus",
  nearCores = 0.15,
  lossLimit = runDefaults.lossLimit,
): HalfLoad | undefined {
  const ok = results.filter(
    (r) =>
      r.scenario === scenario &&
      r.target === target &&
      !r.error &&
      r.loss < lossLimit &&
      r.forwardedPps > 0 &&
      !r.loadSaturated,
  );
  const best = ok.sort((a, b) => Math.abs(a.sutCores - 0.5) - Math.abs(b.sutCores - 0.5))[0];
  return best ? { step: best, near: Math.abs(best.sutCores - 0.5) <= nearCores } : undefined;
}

/** "p99 ms (x=, SUT cores)" of the probe at a SUT's half-load step, for the headline. */
export function probeAtHalfLoad(h: HalfLoad | undefined): string {
  if (!h) return "–";
  const p = h.step.probe;
  const delay = p?.delayP99Ms === undefined ? "no probe" : `${p.delayP99Ms.toFixed(1)} ms`;
  const where = `x=${h.step.x}, SUT ${h.step.sutCores.toFixed(2)} cores`;
  return `${delay} (${where}${h.near ? "" : ", no step near 0.5"})`;
}

/** The steps of a scenario that were load-bound (a load core >= 90% busy, or socket drops). */
export function loadBoundSteps(results: StepResult[], scenario: string): string[] {
  return results
    .filter((r) => r.scenario === scenario && !r.error && r.loadSaturated)
    .map((r) => `x=${r.x} ${r.target === "focus" ? "ours" : "Janus"}`);
}
