// The machine and software versions a result was measured on.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  werift: string;
  janus: string;
  /** 1-minute load average when the run started: other work on the machine. */
  loadAverage: number;
}

function janusVersion(binary: string): string {
  try {
    const out = execFileSync(binary, ["--version"], { encoding: "utf8", timeout: 5000 });
    return /Janus version: \d+ \(([^)]+)\)/.exec(out)?.[1] ?? "unknown";
  } catch {
    return "not installed";
  }
}

function weriftVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve("werift/package.json");
    return (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export function machineInfo(janusBinary: string): MachineInfo {
  return {
    nproc: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    node: process.version,
    werift: weriftVersion(),
    janus: janusVersion(janusBinary),
    loadAverage: os.loadavg()[0] ?? 0,
  };
}
