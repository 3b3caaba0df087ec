import { describe, expect, it } from "vitest";
import {
  buildVp8Payload,
  isVp8Keyframe,
  parseVp8,
  vp8KeyframeSize,
  writeVp8PictureId,
} from "./vp8.ts";

describe("VP8 payload descriptor", () => {
  it.each([
    { name: "start of a keyframe", start: true, keyframe: true, expected: true },
    { name: "start of a delta frame", start: true, keyframe: false, expected: false },
    { name: "continuation of a keyframe", start: false, keyframe: true, expected: false },
  ])("detects a keyframe only at its start: $name", ({ start, keyframe, expected }) => {
    const p = buildVp8Payload({ pictureId: 5, tl0PicIdx: 1, start, keyframe, size: 20 });
    expect(isVp8Keyframe(p)).toBe(expected);
  });

  it("reads a keyframe from Chrome's short descriptor without extension", () => {
    // X=0, S=1, PID=0, then a frame tag with P=0
    expect(isVp8Keyframe(Uint8Array.from([0x10, 0x50, 0, 0]))).toBe(true);
    expect(isVp8Keyframe(Uint8Array.from([0x10, 0x51, 0, 0]))).toBe(false);
  });

  it("reads a 7-bit picture id", () => {
    const d = parseVp8(Uint8Array.from([0x90, 0x80, 0x25, 0x00]));
    expect(d).toMatchObject({ pictureIdBits: 7, pictureId: 0x25, headerLength: 3 });
  });

  it("reads and rewrites a 15-bit picture id and TL0PICIDX", () => {
    const p = buildVp8Payload({
      pictureId: 0x1234,
      tl0PicIdx: 9,
      start: true,
      keyframe: false,
      size: 12,
    });
    const d = parseVp8(p);
    expect(d).toMatchObject({
      pictureIdBits: 15,
      pictureId: 0x1234,
      tl0PicIdx: 9,
      headerLength: 5,
    });
    if (!d) throw new Error("unparsed");
    writeVp8PictureId(p, d, 0x7fff);
    expect(parseVp8(p)?.pictureId).toBe(0x7fff);
  });

  it("reads the frame size from a keyframe header", () => {
    const p = buildVp8Payload({
      pictureId: 1,
      tl0PicIdx: 0,
      start: true,
      keyframe: true,
      width: 640,
      height: 360,
      size: 30,
    });
    expect(vp8KeyframeSize(p)).toEqual({ width: 640, height: 360 });
  });

  it("rejects an empty or truncated payload without throwing", () => {
    expect(parseVp8(new Uint8Array())).toBeUndefined();
    expect(parseVp8(Uint8Array.from([0x80]))).toBeUndefined();
    expect(parseVp8(Uint8Array.from([0x80, 0x80, 0x80]))).toBeUndefined();
  });
});
