import { describe, expect, it } from "vitest";
import { layerText, statsText } from "./statsText.ts";

describe("stats overlay text", () => {
  it("shows a received layer with the sizes it was judged by", () => {
    expect(
      layerText({
        width: 640,
        height: 360,
        layer: "h",
        layerBasis: "decodedSize",
        fullWidth: 1280,
        fullHeight: 720,
      }),
    ).toBe("layer h (640x360 of 1280x720)");
  });

  it("shows the own camera's layer as sent", () => {
    expect(layerText({ rid: "f", layer: "f", layerBasis: "sent" })).toBe("layer f (sent)");
  });

  it("says when the layer cannot be told", () => {
    expect(layerText({ width: 640, height: 360 })).toBe("layer ?");
  });

  it("lists size, frame rate, bitrate, layer and frames decoded, one per line", () => {
    expect(
      statsText({
        width: 320,
        height: 180,
        fps: 29.6,
        bitrateKbps: 118.4,
        framesDecoded: 300,
        layer: "q",
        layerBasis: "decodedSize",
        fullWidth: 1280,
        fullHeight: 720,
      }),
    ).toBe("320x180 @ 30 fps\n118 kb/s\nlayer q (320x180 of 1280x720)\n300 frames");
  });

  it("says when there are no stats yet", () => {
    expect(statsText(undefined)).toBe("no stats yet");
  });
});
