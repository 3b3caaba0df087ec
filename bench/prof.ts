// `node bench/prof.ts <file.cpuprofile> [n]`: the n (default 25) functions with the most self
// time in a CPU profile written with `npm run bench -- --focus-prof <dir>`, then the time per
// area (crypto, UDP, werift, our code, GC, start-up).
import { readFileSync } from "node:fs";
import { areaTable, type CpuProfile, selfTimeTable } from "./lib/cpuProfile.ts";

const [file, n] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: node bench/prof.ts <file.cpuprofile> [n]\n");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
process.stdout.write(`${selfTimeTable(profile, Number(n ?? 25))}\n\n${areaTable(profile)}\n`);
