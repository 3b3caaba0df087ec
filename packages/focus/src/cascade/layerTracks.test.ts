import { describe, expect, it } from "vitest";
import { groupLayers, layerTrackId, parseLayerTrackId } from "./layerTracks.ts";

describe("per-layer tracks between sibling parts", () => {
  it("names a layer of a track and reads the name back, and nothing else", () => {
    expect(parseLayerTrackId(layerTrackId("t1", "q"))).toEqual({ trackId: "t1", rid: "q" });
    expect(parseLayerTrackId("t1")).toBeUndefined();
    expect(parseLayerTrackId("~layer~q")).toBeUndefined();
    expect(parseLayerTrackId("t1~layer~")).toBeUndefined();
    expect(parseLayerTrackId("t1~layer~a b")).toBeUndefined();
  });

  it("puts a track's announced layers back together and passes other tracks unchanged", () => {
    const tracks = [
      { streamId: "s", trackId: "audio" },
      { streamId: "s", trackId: layerTrackId("video", "q"), width: 320, height: 180 },
      { streamId: "s", trackId: layerTrackId("video", "h"), width: 640, height: 360 },
    ];
    expect(groupLayers(tracks)).toEqual([
      { streamId: "s", trackId: "audio" },
      {
        streamId: "s",
        trackId: "video",
        layers: [
          { rid: "q", width: 320, height: 180 },
          { rid: "h", width: 640, height: 360 },
        ],
      },
    ]);
  });
});
