import { describe, expect, it } from "vitest";
import { Forwarder } from "./Forwarder.ts";

type Step = [rid: string, keyframe: boolean, expected: string] | ["target", string | undefined];

function run(steps: Step[], needsKeyframe = true): void {
  const f = new Forwarder(needsKeyframe);
  steps.forEach((s, i) => {
    if (s.length === 2) f.setTarget(s[1]);
    else expect(f.decide(s[0], s[1]), `step ${i}`).toBe(s[2]);
  });
}

describe("Forwarder", () => {
  it("starts video only on a keyframe of the wanted layer", () => {
    run([
      ["target", "h"],
      ["h", false, "drop"],
      ["q", true, "drop"],
      ["h", true, "forward"],
      ["h", false, "forward"],
    ]);
  });

  it("keeps forwarding the old layer until the new one has a keyframe, then switches", () => {
    run([
      ["target", "q"],
      ["q", true, "forward"],
      ["target", "f"],
      ["q", false, "forward"],
      ["f", false, "drop"],
      ["f", true, "switch"],
      ["q", false, "drop"],
      ["f", false, "forward"],
    ]);
  });

  it("switching back and forth before a keyframe keeps the current layer", () => {
    run([
      ["target", "q"],
      ["q", true, "forward"],
      ["target", "f"],
      ["target", "q"],
      ["q", false, "forward"],
      ["f", true, "drop"],
    ]);
  });

  it("forwards audio from the first packet", () => {
    run(
      [
        ["target", ""],
        ["", false, "forward"],
        ["", false, "forward"],
      ],
      false,
    );
  });

  it("keeps forwarding the current layer while no layer is wanted", () => {
    run([
      ["target", "h"],
      ["h", true, "forward"],
      ["target", undefined],
      ["h", false, "forward"],
      ["q", true, "drop"],
    ]);
  });
});
