import { describe, expect, it } from "vitest";
import type { StepResult } from "../runner/results.ts";
import {
  bestUnderLoss,
  diff,
  durationText,
  keyframeCell,
  lateJoinCell,
  layerSwitchCell,
  loadProcessesText,
  ratio,
  sameStepUnderLoss,
} from "./table.ts";

function step(target: "focus" | "janus", x: number, pps: number, loss: number): StepResult {
  return {
    scenario: "call",
    target,
    x,
    forwardedPps: pps,
    ppsPerCore: pps * 2,
    loss,
  } as StepResult;
}

describe("ratio", () => {
  it("divides ours by Janus's", () => {
    expect(ratio(50, 100)).toBe("0.50×");
  });

  it("gives a dash when a side is missing or zero", () => {
    expect(ratio(undefined, 3)).toBe("–");
    expect(ratio(3, 0)).toBe("–");
  });
});

describe("diff", () => {
  it("gives ours minus Janus's with a sign", () => {
    expect(diff(5, 3.5)).toBe("+1.5");
    expect(diff(2, 3)).toBe("−1.0");
    expect(diff(undefined, 3)).toBe("–");
  });
});

describe("bestUnderLoss", () => {
  const results = [
    step("focus", 2, 100, 0),
    step("focus", 5, 900, 0.002),
    step("focus", 10, 1500, 0.05),
    step("janus", 2, 200, 0),
  ];

  it("takes the highest forwarded rate among steps under the loss limit", () => {
    expect(bestUnderLoss(results, "call", "focus", 0.01)?.x).toBe(5);
  });

  it("finds nothing when every step lost too much", () => {
    expect(bestUnderLoss(results, "call", "focus", 0.001)?.x).toBe(2);
    expect(bestUnderLoss(results, "fanout", "focus", 0.01)).toBeUndefined();
  });
});

describe("sameStepUnderLoss", () => {
  it("compares both at the largest step where neither lost too much", () => {
    const results = [
      step("focus", 2, 100, 0),
      step("janus", 2, 100, 0),
      step("focus", 5, 400, 0.05),
      step("janus", 5, 500, 0),
    ];
    expect(sameStepUnderLoss(results, "call", 0.01)?.ours.x).toBe(2);
  });

  it("finds nothing when no step is clean for both", () => {
    expect(sameStepUnderLoss([step("focus", 2, 1, 0.5), step("janus", 2, 1, 0)], "call")).toBe(
      undefined,
    );
  });
});

describe("keyframeCell", () => {
  const kf = { keyframeP50Ms: 412.3, keyframeP99Ms: 980.7, keyframesMissing: 0 };

  it("gives p50 / p99 and the load's CPU during the joins", () => {
    expect(keyframeCell({ ...kf, joinLoadCores: 0.456 })).toBe("412 / 981 (load 0.46)");
    expect(keyframeCell({ ...kf, joinLoadCores: 0.456, joinLoopP99Ms: 41.2 })).toBe(
      "412 / 981 (load 0.46, loop p99 41 ms)",
    );
  });

  it("warns when the load was busy enough to hold the joins up", () => {
    expect(keyframeCell({ ...kf, joinLoadCores: 0.97 })).toBe("412 / 981 (load 0.97 ⚠)");
  });

  it("counts subscriptions without a key frame and leaves out an unknown load", () => {
    expect(keyframeCell({ ...kf, keyframesMissing: 3, joinLoadCores: undefined })).toBe(
      "412 / 981 (3 none)",
    );
  });
});

describe("lateJoinCell", () => {
  it("gives p50 / p99 of the late joiners' first key frames", () => {
    expect(lateJoinCell({ lateJoinP50Ms: 251.4, lateJoinP99Ms: 330.6, lateJoinMissing: 0 })).toBe(
      "251 / 331",
    );
  });

  it("counts publishers never seen and joins that failed", () => {
    expect(
      lateJoinCell({
        lateJoinP50Ms: 251.4,
        lateJoinP99Ms: 330.6,
        lateJoinMissing: 2,
        lateJoinFailures: ["late join 910001: no answer"],
      }),
    ).toBe("251 / 331 (2 none) (1 failed)");
  });

  it("gives a dash for a step without late joins", () => {
    expect(lateJoinCell({})).toBe("–");
  });
});

describe("layerSwitchCell", () => {
  it("gives p50 / p99 of the switches and the publishers never seen on the new layer", () => {
    expect(layerSwitchCell({ layerSwitchP50Ms: 80.4, layerSwitchP99Ms: 120.6 })).toBe("80 / 121");
    expect(
      layerSwitchCell({ layerSwitchP50Ms: 80.4, layerSwitchP99Ms: 120.6, layerSwitchMissing: 1 }),
    ).toBe("80 / 121 (1 none)");
  });

  it("gives a dash for a step without switches", () => {
    expect(layerSwitchCell({})).toBe("–");
  });
});

describe("loadProcessesText", () => {
  it("counts the load processes per core", () => {
    expect(loadProcessesText([1, 1])).toBe("2 processes on core 1");
    expect(loadProcessesText([1])).toBe("1 process on core 1");
    expect(loadProcessesText([1, 2, 1])).toBe("2 processes on core 1, 1 on core 2");
  });
});

describe("durationText", () => {
  it("writes a run's length in minutes and seconds", () => {
    expect(durationText(640_135)).toBe("10 min 40 s");
    expect(durationText(58_400)).toBe("58 s");
    expect(durationText(120_000)).toBe("2 min 0 s");
  });
});
