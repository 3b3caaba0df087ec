// A step of our focus with the focus host's CPU per thread over the window (lib/threads.ts),
// for the scripts that compare thread layouts (scaling.ts, saturation.ts): the focus's first
// thread on core 0 and no delay probe. A step that fails is logged and returned with its
// first error line instead of throwing.
import { runDefaults } from "../config/defaults.ts";
import { windowThreadSampler } from "../lib/threads.ts";
import type { StepResult } from "./results.ts";
import { runStep, type StepOptions } from "./runStep.ts";

export interface ThreadStep {
  r?: StepResult;
  error?: string;
  /** CPU (cores) by thread name over the window; empty when the step failed. */
  threads: Record<string, number>;
}

export async function runThreadStep(
  o: Omit<StepOptions, "target" | "sutCore" | "probe">,
): Promise<ThreadStep> {
  const sampler = windowThreadSampler(o.warmupMs, o.measureMs);
  try {
    const r = await runStep({
      ...o,
      target: "focus",
      sutCore: 0,
      probe: { ...runDefaults.probe, enabled: false },
      log: (line) => {
        o.log(line);
        sampler.onLine(line);
      },
    });
    return { r, threads: sampler.result() };
  } catch (e) {
    const error = (e as Error).message.split("\n")[0] ?? "failed";
    o.log(`  failed: ${error}`);
    return { error, threads: {} };
  } finally {
    sampler.clear();
  }
}
