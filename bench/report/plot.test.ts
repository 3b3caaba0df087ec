import { describe, expect, it } from "vitest";
import { linePlotSvg, niceStep } from "./plot.ts";

describe("niceStep", () => {
  it("picks 1, 2 or 5 times a power of ten", () => {
    expect(niceStep(100)).toBe(20);
    expect(niceStep(7300)).toBe(2000);
    expect(niceStep(0.9)).toBe(0.2);
    expect(niceStep(0)).toBe(1);
  });
});

describe("linePlotSvg", () => {
  const svg = linePlotSvg({
    title: "pkt/s per core <us & them>",
    xLabel: "participants",
    yLabel: "pkt/s",
    series: [
      {
        name: "ours",
        color: "#d33",
        points: [
          { x: 2, y: 100 },
          { x: 10, y: 300 },
        ],
      },
      { name: "Janus", color: "#33d", points: [{ x: 2, y: 200 }] },
    ],
  });

  it("draws a line for a series with several points and a dot for each point", () => {
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg.match(/<circle /g)).toHaveLength(3);
  });

  it("escapes text and labels both series", () => {
    expect(svg).toContain("&lt;us &amp; them&gt;");
    expect(svg).toContain(">ours<");
    expect(svg).toContain(">Janus<");
  });
});
