import { describe, expect, it } from "vitest";
import { CallDefaults } from "../defaults.ts";
import { BitrateMeter, inboundVideoStats, outboundVideoStats } from "./stats.ts";

const report = (...stats: Record<string, unknown>[]) =>
  new Map(stats.map((s, i) => [`s${i}`, s])) as unknown as RTCStatsReport;

const inbound = (width: number, height: number, bytesReceived: number, timestamp: number) => ({
  type: "inbound-rtp",
  kind: "video",
  frameWidth: width,
  frameHeight: height,
  framesPerSecond: 30,
  framesDecoded: 90,
  bytesReceived,
  timestamp,
});

const layers = CallDefaults.simulcastLayers;
const hd = { width: 1280, height: 720 };

describe("inboundVideoStats", () => {
  it("reports the layer whose size the decoded video has, with the full size it was judged by", () => {
    const s = inboundVideoStats(report(inbound(640, 360, 0, 0)), "a", new BitrateMeter(), {
      full: hd,
      layers,
    });
    expect(s).toEqual({
      width: 640,
      height: 360,
      fps: 30,
      framesDecoded: 90,
      layer: "h",
      layerBasis: "decodedSize",
      fullWidth: 1280,
      fullHeight: 720,
    });
  });

  it("follows the decoded size from one report to the next", () => {
    const meter = new BitrateMeter();
    const ctx = { full: hd, layers };
    const first = inboundVideoStats(report(inbound(320, 180, 0, 0)), "a", meter, ctx);
    const second = inboundVideoStats(report(inbound(1280, 720, 125_000, 1_000)), "a", meter, ctx);
    expect(first?.layer).toBe("q");
    expect(second?.layer).toBe("f");
    expect(second?.bitrateKbps).toBe(1_000);
  });

  it("reports no layer without the publisher's full size", () => {
    const s = inboundVideoStats(report(inbound(640, 360, 0, 0)), "a", new BitrateMeter(), {
      full: undefined,
      layers,
    });
    expect(s?.layer).toBeUndefined();
    expect(s?.layerBasis).toBeUndefined();
    expect(s?.fullWidth).toBeUndefined();
  });

  it("reports no layer when it is not asked to judge one (a screen share)", () => {
    const s = inboundVideoStats(report(inbound(640, 360, 0, 0)), "a", new BitrateMeter());
    expect(s?.width).toBe(640);
    expect(s?.layer).toBeUndefined();
  });

  it("reports the full size but no layer before a frame is decoded", () => {
    const s = inboundVideoStats(
      report({ type: "inbound-rtp", kind: "video", bytesReceived: 0, timestamp: 0 }),
      "a",
      new BitrateMeter(),
      { full: hd, layers },
    );
    expect(s).toEqual({ fullWidth: 1280, fullHeight: 720 });
  });
});

describe("outboundVideoStats", () => {
  it("reports the largest layer being sent as the layer, with basis sent", () => {
    const out = (rid: string, w: number, h: number) => ({
      type: "outbound-rtp",
      kind: "video",
      rid,
      frameWidth: w,
      frameHeight: h,
      bytesSent: 0,
      timestamp: 0,
    });
    const s = outboundVideoStats(
      report(out("q", 320, 180), out("f", 1280, 720), out("h", 640, 360)),
      "own",
      new BitrateMeter(),
    );
    expect(s).toMatchObject({ width: 1280, height: 720, rid: "f", layer: "f", layerBasis: "sent" });
  });
});
