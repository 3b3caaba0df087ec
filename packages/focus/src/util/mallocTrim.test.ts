import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { FakeClock } from "./Clock.ts";
import { logTrim, MallocTrimmer, type MallocTrimResult, startMallocTrim } from "./mallocTrim.ts";

const MODULE = new URL("./mallocTrim.ts", import.meta.url).pathname;
const MiB = 1024 * 1024;

describe("MallocTrimmer", () => {
  it("trims at every interval and reports what the resident set lost and how long it took", () => {
    const clock = new FakeClock();
    let rss = 100 * MiB;
    let t = 0;
    const results: MallocTrimResult[] = [];
    let trims = 0;
    const trimmer = new MallocTrimmer({
      intervalMs: 10_000,
      clock,
      trim: () => {
        trims++;
        rss -= trims === 1 ? 8 * MiB : 0;
        t += 1.5;
        return 1;
      },
      rss: () => rss,
      now: () => t,
      onTrim: (r) => results.push(r),
    });
    clock.advance(9_999);
    expect(trims).toBe(0);
    clock.advance(1);
    clock.advance(10_000);
    expect(results).toEqual([
      { releasedBytes: 8 * MiB, ms: 1.5 },
      { releasedBytes: 0, ms: 1.5 },
    ]);
    trimmer.stop();
    clock.advance(60_000);
    expect(trims).toBe(2);
  });

  it("counts a resident set that grew meanwhile as nothing released", () => {
    let rss = 10 * MiB;
    const trimmer = new MallocTrimmer({
      intervalMs: 1_000,
      clock: new FakeClock(),
      trim: () => {
        rss += MiB;
        return 0;
      },
      rss: () => rss,
    });
    expect(trimmer.trimNow().releasedBytes).toBe(0);
    trimmer.stop();
  });
});

describe("logTrim", () => {
  it("logs a trim at debug level, and one that took more than 20 ms as a warning", () => {
    const lines: [string, object, string][] = [];
    const log = logTrim({
      debug: (o, msg) => lines.push(["debug", o, msg]),
      warn: (o, msg) => lines.push(["warn", o, msg]),
    });
    log({ releasedBytes: 3 * MiB, ms: 1.234 });
    log({ releasedBytes: 0, ms: 25 });
    expect(lines).toEqual([
      ["debug", { releasedMiB: 3, ms: 1.23 }, "malloc trimmed"],
      [
        "warn",
        { releasedMiB: 0, ms: 25 },
        "malloc trim took long (mallocTrimIntervalMs 0 turns it off)",
      ],
    ]);
  });
});

describe("startMallocTrim", () => {
  it("does not start with an interval of 0", () => {
    expect(startMallocTrim(0)).toEqual({ skipped: "turned off (mallocTrimIntervalMs 0)" });
  });

  it.runIf(process.platform === "linux")(
    "gives back the pages of freed buffers that lie between buffers still in use",
    () => {
      // in a fresh process: 40 MiB of 100 KiB buffers (malloc'd below the mmap threshold, so
      // from the heap), every tenth kept; free() alone cannot return the holes between them
      const script = `
        import { startMallocTrim } from ${JSON.stringify(MODULE)};
        const keep = [];
        let drop = [];
        for (let i = 0; i < 400; i++) {
          const b = Buffer.allocUnsafeSlow(100 * 1024).fill(1);
          (i % 10 === 9 ? keep : drop).push(b);
        }
        drop = undefined;
        globalThis.gc();
        await new Promise((r) => setTimeout(r, 50));
        const { trimmer, skipped } = startMallocTrim(60_000);
        const result = trimmer?.trimNow();
        trimmer?.stop();
        process.stdout.write(JSON.stringify({ result, skipped, kept: keep.length }));`;
      const out = JSON.parse(
        execFileSync(
          process.execPath,
          ["--expose-gc", "--single-threaded-gc", "--input-type=module", "-e", script],
          { encoding: "utf8" },
        ),
      ) as { result?: MallocTrimResult; skipped?: string; kept: number };
      expect(out.skipped).toBeUndefined();
      expect(out.kept).toBe(40);
      expect(out.result?.releasedBytes).toBeGreaterThan(20 * MiB);
    },
  );
});
