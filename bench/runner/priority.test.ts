import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { reniceProcess } from "./priority.ts";

const HELPERS = fileURLToPath(
  new URL("../../packages/focus/src/util/helperThreads.ts", import.meta.url),
);

/** The nice value of each thread of `pid`, by thread name. */
function nices(pid: number): { comm: string; nice: number }[] {
  return readdirSync(`/proc/${pid}/task`).map((t) => ({
    comm: readFileSync(`/proc/${pid}/task/${t}/comm`, "utf8").trim(),
    nice: getPriority(Number(t)),
  }));
}

describe.runIf(process.platform === "linux")("reniceProcess", () => {
  it("moves the main thread and keeps threads the process put below it below it", async () => {
    // a node process that lowers its own V8 helper threads, as the focus does at start
    const script = `import(${JSON.stringify(HELPERS)}).then((m) => {
      m.lowerHelperThreads(19); process.stdout.write("ready"); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      const pid = child.pid as number;
      const base = getPriority(pid);
      const target = Math.min(19, base + 5);
      expect(reniceProcess(pid, target)).toBeGreaterThan(1);
      const after = nices(pid);
      expect(after.find((t) => t.comm === "MainThread")?.nice).toBe(target);
      const helpers = after.filter((t) => t.comm === "V8Worker");
      expect(helpers.length).toBeGreaterThan(0);
      expect(helpers.every((t) => t.nice === 19)).toBe(true);
      const others = after.filter((t) => t.comm !== "V8Worker");
      expect(others.every((t) => t.nice === target)).toBe(true);
    } finally {
      child.kill();
    }
  });
});
