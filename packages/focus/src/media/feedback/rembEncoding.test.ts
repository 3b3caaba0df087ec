import { describe, expect, it } from "vitest";
import { ReceiverEstimatedMaxBitrate } from "werift";
import { rembBitrateFields } from "./rembEncoding.ts";

describe("rembBitrateFields", () => {
  it.each([
    [0, 0, 0],
    [200_000, 0, 200_000],
    [262_143, 0, 262_143],
    [262_144, 1, 131_072],
    [3_000_000, 4, 187_500],
  ])("encodes %i b/s as exponent %i and mantissa %i", (bps, exp, mantissa) => {
    expect(rembBitrateFields(bps)).toEqual({ brExp: exp, brMantissa: mantissa });
  });

  it("round-trips through werift's REMB packet within the mantissa's precision", () => {
    const bps = 2_345_678;
    const remb = new ReceiverEstimatedMaxBitrate({
      senderSsrc: 1,
      mediaSsrc: 0,
      ssrcNum: 1,
      ssrcFeedbacks: [42],
      ...rembBitrateFields(bps),
    });
    const parsed = ReceiverEstimatedMaxBitrate.deSerialize(remb.serialize());
    expect(Number(parsed.bitrate)).toBeGreaterThan(bps * 0.9999);
    expect(Number(parsed.bitrate)).toBeLessThanOrEqual(bps);
    expect(parsed.ssrcFeedbacks).toEqual([42]);
  });
});
