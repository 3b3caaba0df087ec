// SVG -> PNG with resvg compiled to WebAssembly (no native addon), using a system TrueType
// font when one is installed (text is left out otherwise).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { initWasm, Resvg } from "@resvg/resvg-wasm";

const FONT_CANDIDATES = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
];

let ready: Promise<void> | undefined;

function init(): Promise<void> {
  if (!ready) {
    const require = createRequire(import.meta.url);
    ready = initWasm(readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
  }
  return ready;
}

export async function svgToPng(
  svg: string,
): Promise<{ png: Uint8Array; font: string | undefined }> {
  await init();
  const font = FONT_CANDIDATES.find((f) => existsSync(f));
  const r = new Resvg(svg, {
    font: {
      fontBuffers: font ? [new Uint8Array(readFileSync(font))] : [],
      loadSystemFonts: false,
      ...(font
        ? { defaultFontFamily: font.includes("DejaVu") ? "DejaVu Sans" : "Liberation Sans" }
        : {}),
    },
  });
  return { png: r.render().asPng(), font };
}
