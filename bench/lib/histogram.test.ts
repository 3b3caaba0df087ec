import { describe, expect, it } from "vitest";
import { Histogram, percentileOf } from "./histogram.ts";

describe("Histogram", () => {
  it("gives percentiles to within one bucket of the exact values", () => {
    const h = new Histogram(0.5, 100);
    for (let v = 1; v <= 100; v++) h.add(v / 4); // 0.25 .. 25
    // the median sample is 12.5: it falls into the bucket [12.5, 13), reported by its upper edge
    expect(h.percentile(0.5)).toBe(13);
    expect(h.percentile(0.99)).toBe(25);
    expect(h.percentile(0.01)).toBe(0.5);
  });

  it("puts values beyond the last bucket into the last bucket", () => {
    const h = new Histogram(1, 10);
    h.add(1000);
    expect(h.percentile(1)).toBe(10);
  });

  it("adds up merged histograms", () => {
    const a = new Histogram(1, 10);
    const b = new Histogram(1, 10);
    a.add(1.5);
    b.add(8.5);
    b.add(8.7);
    a.merge(b.toData());
    expect(a.total).toBe(3);
    expect(a.percentile(0.34)).toBe(9);
  });

  it("has no percentile without samples", () => {
    expect(new Histogram().percentile(0.5)).toBeUndefined();
  });
});

describe("percentileOf", () => {
  it("takes the nearest rank", () => {
    expect(percentileOf([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentileOf([5, 1, 4, 2, 3], 0.99)).toBe(5);
    expect(percentileOf([], 0.5)).toBeUndefined();
  });
});
