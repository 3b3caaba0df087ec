// The machine and software versions a result was measured on.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join } from "node:path";

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

/** Janus's version from `janus --version` (which exits non-zero after printing it). */
export function janusVersion(binary: string): string {
  if (!existsSync(binary)) return "not installed";
  let out = "";
  try {
    out = execFileSync(binary, ["--version"], { encoding: "utf8", timeout: 5000 });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? "");
  }
  return /Janus version: \d+ \(([^)]+)\)/.exec(out)?.[1] ?? "unknown";
}

/** werift's version from its package.json (its exports do not include that file). */
export function weriftVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    let dir = dirname(require.resolve("werift"));
    while (dir !== dirname(dir)) {
      const pkg = join(dir, "package.json");
      if (existsSync(pkg)) {
        const json = JSON.parse(readFileSync(pkg, "utf8")) as { name?: string; version: string };
        if (json.name === "werift") return json.version;
      }
      dir = dirname(dir);
    }
  } catch {
    // not resolvable from here
  }
  return "unknown";
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
