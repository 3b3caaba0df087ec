import { describe, expect, it } from "vitest";
import { subnetFor } from "./netns.ts";

describe("subnetFor", () => {
  it("gives the host .1 and the namespace .2 of a /30 inside 10.213/16", () => {
    expect(subnetFor(5)).toEqual({ host: "10.213.0.21", ns: "10.213.0.22" });
  });

  it("keeps every address inside the prefix and the /30 aligned, for any pid", () => {
    for (const pid of [1, 63, 64, 4_194_303, 123_456]) {
      const { host, ns } = subnetFor(pid);
      const [a, b, c, d] = host.split(".").map(Number);
      expect([a, b]).toEqual([10, 213]);
      expect(c).toBeLessThan(256);
      expect(d! % 4).toBe(1);
      expect(ns).toBe(`10.213.${c}.${d! + 1}`);
    }
  });
});
