import { describe, expect, it } from "vitest";
import { aggregateDemand, demandChange, trackKey } from "./demand.ts";

const v = (streamId: string, width?: number, height?: number) => ({
  streamId,
  trackId: "video",
  want: width === undefined ? {} : { width, ...(height !== undefined ? { height } : {}) },
});

describe("aggregateDemand", () => {
  it("asks once per track, at the largest size anyone wants", () => {
    const d = aggregateDemand([v("s1", 320, 180), v("s1", 640, 360), v("s2", 160, 90)]);
    expect(d.size).toBe(2);
    expect(d.get(trackKey("s1", "video"))?.want).toEqual({ width: 640, height: 360 });
    expect(d.get(trackKey("s2", "video"))?.want).toEqual({ width: 160, height: 90 });
  });

  it("treats a wish without a size as the largest there is", () => {
    const d = aggregateDemand([v("s1", 320, 180), v("s1")]);
    expect(d.get(trackKey("s1", "video"))?.want).toEqual({});
  });

  it("is empty when nobody subscribes", () => {
    expect(aggregateDemand([]).size).toBe(0);
  });
});

describe("demandChange", () => {
  it("subscribes new tracks and resizes changed ones, leaving unchanged ones out", () => {
    const sent = aggregateDemand([v("s1", 320, 180), v("s2", 320, 180)]);
    const next = aggregateDemand([v("s1", 320, 180), v("s2", 640, 360), v("s3")]);
    expect(demandChange(sent, next)).toEqual({
      subscribe: [
        { stream_id: "s2", track_id: "video", width: 640, height: 360 },
        { stream_id: "s3", track_id: "video" },
      ],
    });
  });

  it("unsubscribes tracks nobody wants any more", () => {
    const sent = aggregateDemand([v("s1", 320, 180), v("s2")]);
    expect(demandChange(sent, aggregateDemand([v("s2")]))).toEqual({
      unsubscribe: [{ stream_id: "s1", track_id: "video" }],
    });
  });

  it("says nothing when nothing changed", () => {
    const d = aggregateDemand([v("s1", 320, 180)]);
    expect(demandChange(d, aggregateDemand([v("s1", 320, 180)]))).toBeUndefined();
  });
});
