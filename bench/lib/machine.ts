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
  /** The matrix-focus commit measured, and whether its tracked files had changes. */
  revision: string;
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

/**
 * The checkout's commit in `dir` ("ea06f4c", "ea06f4c with uncommitted changes"), or why it is
 * not known.
 */
export function checkoutRevision(dir: string): string {
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", timeout: 5000, stdio: "pipe" });
  try {
    const commit = git("rev-parse", "--short", "HEAD").trim();
    const changed = git("status", "--porcelain", "--untracked-files=no").trim() !== "";
    return changed ? `${commit} with uncommitted changes` : commit;
  } catch {
    return "unknown (not a git checkout, or no git)";
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
    revision: checkoutRevision(new URL("../..", import.meta.url).pathname),
  };
}
