import { execFileSync } from "node:child_process";
import { getPriority } from "node:os";
import { describe, expect, it } from "vitest";
import { lowerHelperThreads } from "./helperThreads.ts";

const MODULE = new URL("./helperThreads.ts", import.meta.url).pathname;

/** Runs `code` in a fresh node process (so that this test runner's threads stay as they are). */
function inChild(code: string): { comm: string; nice: number }[] & { result?: unknown } {
  const script = `
    import { readdirSync, readFileSync } from "node:fs";
    import { getPriority } from "node:os";
    import { lowerHelperThreads } from ${JSON.stringify(MODULE)};
    const result = ${code};
    const threads = readdirSync("/proc/self/task").map((t) => ({
      comm: readFileSync("/proc/self/task/" + t + "/comm", "utf8").trim(),
      nice: getPriority(Number(t)),
    }));
    process.stdout.write(JSON.stringify({ result, threads }));`;
  const out = JSON.parse(
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }),
  ) as { result: unknown; threads: { comm: string; nice: number }[] };
  return Object.assign(out.threads, { result: out.result });
}

describe.runIf(process.platform === "linux")("lowerHelperThreads", () => {
  // a child starts at the nice of the thread that spawned it
  const inherited = getPriority();

  it("puts every V8 helper thread at the given nice and leaves the main thread as it was", () => {
    const threads = inChild("lowerHelperThreads(19)");
    const helpers = threads.filter((t) => t.comm === "V8Worker");
    expect(helpers.length).toBeGreaterThan(0);
    expect(helpers.every((t) => t.nice === 19)).toBe(true);
    expect(threads.find((t) => t.comm === "MainThread")?.nice).toBe(inherited);
    expect(threads.result).toEqual({ lowered: helpers.length });
  });

  it("never lowers a thread's nice value", () => {
    const threads = inChild("lowerHelperThreads(0)");
    const helpers = threads.filter((t) => t.comm === "V8Worker");
    expect(helpers.every((t) => t.nice === inherited)).toBe(true);
  });

  it("says why when there is no thread list to read", () => {
    expect(lowerHelperThreads(19, "/nonexistent/task")).toEqual({
      lowered: 0,
      skipped: "no /nonexistent/task (not Linux?)",
    });
  });
});
