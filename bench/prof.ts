// `node bench/prof.ts <file.cpuprofile> [n] [--busy ms]`: the n (default 25) functions with
// the most self time in a CPU profile written with `npm run bench -- --focus-prof <dir>`, then
// the time per area (crypto, UDP, werift, our code, GC, start-up). With --busy: the busy
// stretches between idle samples, and where those of at least `ms` spent their time.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { busyStretches, busyStretchReport } from "./lib/busyStretches.ts";
import { areaTable, type CpuProfile, selfTimeTable } from "./lib/cpuProfile.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { busy: { type: "string" } },
});
const [file, n] = positionals;
if (!file) {
  process.stderr.write("usage: node bench/prof.ts <file.cpuprofile> [n] [--busy ms]\n");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
process.stdout.write(`${selfTimeTable(profile, Number(n ?? 25))}\n\n${areaTable(profile)}\n`);
if (values.busy !== undefined) {
  process.stdout.write(`\n${busyStretchReport(busyStretches(profile, Number(values.busy)))}\n`);
}
