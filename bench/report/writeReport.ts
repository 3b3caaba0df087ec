// Writes the results of a run: <mode>.md (tables), <mode>.png (plots), <mode>.json (raw).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scenarios } from "../config/scenarios.ts";
import type { StepResult } from "../runner/results.ts";
import { linePlotSvg } from "./plot.ts";
import { svgToPng } from "./png.ts";
import { markdownReport, type ReportInput } from "./table.ts";

export async function writeReport(input: ReportInput & { dir: string }): Promise<string[]> {
  mkdirSync(input.dir, { recursive: true });
  const base = join(input.dir, input.quick ? "quick" : "full");
  const written: string[] = [];
  writeFileSync(`${base}.md`, markdownReport(input));
  written.push(`${base}.md`);
  writeFileSync(
    `${base}.json`,
    JSON.stringify({ ...input, dir: undefined, startedAt: input.startedAt.toISOString() }, null, 2),
  );
  written.push(`${base}.json`);
  const svg = plotSvg(input.results, input);
  writeFileSync(`${base}.svg`, svg);
  const { png } = await svgToPng(svg);
  writeFileSync(`${base}.png`, png);
  written.push(`${base}.png`);
  const probe = probeSvg(input.results, input);
  if (probe) {
    writeFileSync(`${base}-probe.svg`, probe);
    writeFileSync(`${base}-probe.png`, (await svgToPng(probe)).png);
    written.push(`${base}-probe.png`);
  }
  return written;
}

/** The probe's delay p99 against the SUT's CPU, every step of every scenario (if any probe). */
function probeSvg(results: StepResult[], input: ReportInput): string | undefined {
  const points = (t: "focus" | "janus") =>
    results
      .filter((r) => r.target === t && !r.error && r.probe?.delayP99Ms !== undefined)
      .map((r) => ({ x: Math.round(r.sutCores * 100), y: r.probe?.delayP99Ms ?? 0 }))
      .sort((a, b) => a.x - b.x);
  const ours = points("focus");
  const janus = points("janus");
  if (!ours.length && !janus.length) return undefined;
  return linePlotSvg({
    title: "Delay probe p99 (ms) against the SUT's CPU, all steps",
    xLabel: "SUT CPU, % of a core (50 = half load)",
    yLabel: "probe delay p99, ms",
    series: [
      { name: "matrix-focus", color: "#c0392b", points: ours },
      { name: "Janus VideoRoom", color: "#2c6fbb", points: janus },
    ],
    note: `${input.quick ? "quick" : "full"} run ${input.startedAt.toISOString()}; load avg ${input.machine.loadAverage.toFixed(2)}`,
  });
}

/** Packets/s per core vs x for the first scenario run (the call of N when it ran). */
function plotSvg(results: StepResult[], input: ReportInput): string {
  const run = [...new Set(results.map((r) => r.scenario))];
  const name = run.includes("call") ? "call" : (run[0] ?? "call");
  const spec = scenarios.find((s) => s.name === name);
  const points = (t: "focus" | "janus") =>
    results
      .filter((r) => r.scenario === name && r.target === t && !r.error && r.forwardedPps > 0)
      .map((r) => ({ x: r.x, y: r.ppsPerCore }));
  const m = input.machine;
  return linePlotSvg({
    title: `Forwarded packets/s per SUT core, scenario "${name}"`,
    xLabel: spec?.xLabel ?? "x",
    yLabel: "forwarded packets/s per SUT core",
    series: [
      { name: "matrix-focus", color: "#c0392b", points: points("focus") },
      { name: "Janus VideoRoom", color: "#2c6fbb", points: points("janus") },
    ],
    note:
      `${input.quick ? "quick" : "full"} run ${input.startedAt.toISOString()}; ${m.nproc} cores ${m.cpuModel}, ` +
      `load avg ${m.loadAverage.toFixed(2)}; Node ${m.node}, werift ${m.werift}, Janus ${m.janus}`,
  });
}
