import { describe, expect, it } from "vitest";
import { Histogram, percentileOf } from "./histogram.ts";

const layout = { fineWidth: 0.5, fineMax: 10, coarseWidth: 5, max: 100 };

describe("Histogram", () => {
  it("gives fine percentiles to within one fine bucket", () => {
    const h = new Histogram(layout);
    for (let v = 1; v <= 100; v++) h.add(v / 20); // 0.05 .. 5
    // the median sample is 2.5: it falls into the bucket [2.5, 3), reported by its upper edge
    expect(h.percentile(0.5)).toBe(3);
    expect(h.percentile(0.99)).toBe(5);
    expect(h.percentile(0.01)).toBe(0.5);
  });

  it("gives coarse percentiles above the fine range", () => {
    const h = new Histogram(layout);
    h.add(1);
    h.add(42);
    expect(h.percentile(1)).toBe(45);
  });

  it("puts values beyond the range into the last bucket", () => {
    const h = new Histogram(layout);
    h.add(1000);
    expect(h.percentile(1)).toBe(100);
  });

  it("adds up merged histograms", () => {
    const a = new Histogram(layout);
    const b = new Histogram(layout);
    a.add(1.2);
    b.add(8.7);
    b.add(8.8);
    a.merge(b.toData());
    expect(a.total).toBe(3);
    expect(a.percentile(0.34)).toBe(9);
  });

  it("refuses to merge a histogram with other buckets", () => {
    expect(() => new Histogram(layout).merge(new Histogram().toData())).toThrow(/different/);
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
