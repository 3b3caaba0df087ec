import { describe, expect, it } from "vitest";
import { svgToPng } from "./png.ts";

describe("svgToPng", () => {
  it("renders an SVG to a PNG of the same size", async () => {
    const { png } = await svgToPng(
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="red"/></svg>',
    );
    const buf = Buffer.from(png);
    expect(buf.subarray(1, 4).toString()).toBe("PNG");
    expect(buf.readUInt32BE(16)).toBe(40);
    expect(buf.readUInt32BE(20)).toBe(30);
  });
});
