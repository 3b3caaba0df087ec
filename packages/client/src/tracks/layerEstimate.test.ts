import { describe, expect, it } from "vitest";
import { CallDefaults } from "../defaults.ts";
import { layerOfSize, type Size } from "./layerEstimate.ts";

const layers = CallDefaults.simulcastLayers;
const hd = { width: 1280, height: 720 };
const vga = { width: 640, height: 480 };

describe("layerOfSize", () => {
  const table: [
    string,
    Partial<Size> | undefined,
    Partial<Size> | undefined,
    string | undefined,
  ][] = [
    ["the full size is layer f", { width: 1280, height: 720 }, hd, "f"],
    ["half the full size is layer h", { width: 640, height: 360 }, hd, "h"],
    ["a quarter of the full size is layer q", { width: 320, height: 180 }, hd, "q"],
    ["a quarter of a 640x480 camera is layer q", { width: 160, height: 120 }, vga, "q"],
    ["half of a 640x480 camera is layer h", { width: 320, height: 240 }, vga, "h"],
    ["an encoder's odd rounding still finds the layer", { width: 322, height: 182 }, hd, "q"],
    ["a mildly scaled-down f layer is still f", { width: 960, height: 540 }, hd, "f"],
    ["a rotated picture is judged by area", { width: 180, height: 320 }, hd, "q"],
    [
      "a size above the full size by more than √2 fits no layer",
      { width: 1920, height: 1080 },
      hd,
      undefined,
    ],
    ["a size far below the smallest layer fits no layer", { width: 80, height: 45 }, hd, undefined],
    ["an unknown decoded size gives no layer", {}, hd, undefined],
    [
      "a zero decoded size (nothing decoded yet) gives no layer",
      { width: 0, height: 0 },
      hd,
      undefined,
    ],
    ["an unknown full size gives no layer", { width: 640, height: 360 }, undefined, undefined],
    [
      "a full size without height gives no layer",
      { width: 640, height: 360 },
      { width: 1280 },
      undefined,
    ],
  ];

  it.each(table)("%s", (_name, decoded, full, want) => {
    expect(layerOfSize(decoded, full, layers)).toBe(want);
  });

  it("uses the scales of the layers it is given", () => {
    const two = [{ rid: "hi" }, { rid: "lo", scaleResolutionDownBy: 3 }];
    expect(layerOfSize({ width: 426, height: 240 }, hd, two)).toBe("lo");
    expect(layerOfSize({ width: 1280, height: 720 }, hd, two)).toBe("hi");
  });

  it("splits between two layers at √2, halfway on a log scale", () => {
    const scaled = (k: number) => ({ width: 1280 / k, height: 720 / k });
    expect(layerOfSize(scaled(1.4), hd, layers)).toBe("f");
    expect(layerOfSize(scaled(1.43), hd, layers)).toBe("h");
  });

  it("gives no layer when no layer has a rid", () => {
    expect(layerOfSize({ width: 1280, height: 720 }, hd, [{ scaleResolutionDownBy: 1 }])).toBe(
      undefined,
    );
  });
});
