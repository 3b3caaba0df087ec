import { describe, expect, it } from "vitest";
import { focusCores } from "./focus.ts";

describe("focusCores", () => {
  it("pins one worker to the SUT core and N workers to N cores from it on", () => {
    expect(focusCores(0, 1, 2)).toBe("0");
    expect(focusCores(0, 2, 2)).toBe("0,1");
    expect(focusCores(2, 3, 8)).toBe("2,3,4");
  });

  it("wraps around and never asks for more cores than the machine has", () => {
    expect(focusCores(1, 2, 2)).toBe("1,0");
    expect(focusCores(0, 4, 2)).toBe("0,1");
  });
});
