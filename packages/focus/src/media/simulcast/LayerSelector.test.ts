import { describe, expect, it } from "vitest";
import { type LayerInfo, selectLayer } from "./LayerSelector.ts";

const q: LayerInfo = { rid: "q", width: 320, height: 180, active: true };
const h: LayerInfo = { rid: "h", width: 640, height: 360, active: true };
const f: LayerInfo = { rid: "f", width: 1280, height: 720, active: true };
const off = (l: LayerInfo): LayerInfo => ({ ...l, active: false });

describe("selectLayer", () => {
  it.each([
    {
      name: "a small tile gets the smallest layer",
      layers: [q, h, f],
      want: { width: 200, height: 100 },
      rid: "q",
    },
    {
      name: "exactly the size of a layer gets that layer",
      layers: [q, h, f],
      want: { width: 320, height: 180 },
      rid: "q",
    },
    {
      name: "just above a layer gets the next one",
      layers: [q, h, f],
      want: { width: 321, height: 180 },
      rid: "h",
    },
    {
      name: "a big tile gets the full layer",
      layers: [f, h, q],
      want: { width: 1000, height: 600 },
      rid: "f",
    },
    {
      name: "bigger than every layer gets the biggest",
      layers: [q, h, f],
      want: { width: 4000, height: 2000 },
      rid: "f",
    },
    { name: "no size given gets the biggest", layers: [q, h, f], want: {}, rid: "f" },
    { name: "only a width given is honoured", layers: [q, h, f], want: { width: 600 }, rid: "h" },
    {
      name: "a stopped fitting layer is replaced by the next bigger one",
      layers: [q, off(h), f],
      want: { width: 600, height: 300 },
      rid: "f",
    },
    {
      name: "with nothing bigger arriving, the biggest arriving is used",
      layers: [q, h, off(f)],
      want: { width: 1280, height: 720 },
      rid: "h",
    },
    {
      name: "nothing arriving gives nothing",
      layers: [off(q), off(h), off(f)],
      want: {},
      rid: undefined,
    },
    {
      name: "a track without simulcast has one layer",
      layers: [{ rid: "", active: true }],
      want: { width: 10, height: 10 },
      rid: "",
    },
    {
      name: "unknown sizes fall back to the rid order q < h < f",
      layers: [
        { rid: "f", active: true },
        { rid: "q", active: true },
        { rid: "h", active: true },
      ],
      want: {},
      rid: "f",
    },
  ])("$name", ({ layers, want, rid }) => {
    expect(selectLayer(layers, want)).toBe(rid);
  });
});
