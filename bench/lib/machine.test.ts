import { describe, expect, it } from "vitest";
import { janusVersion, weriftVersion } from "./machine.ts";

describe("versions", () => {
  it("reads werift's version from its package", () => {
    expect(weriftVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("says Janus is not installed when its binary is missing", () => {
    expect(janusVersion("/nonexistent/janus")).toBe("not installed");
  });
});
