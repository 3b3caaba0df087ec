import { describe, expect, it } from "vitest";
import { ContentKeys, Values } from "../names.ts";
import { parseSdpStreamMetadata, readSdpStreamMetadata } from "./sdpStreamMetadata.ts";

const stableKey = ContentKeys.sdpStreamMetadata.stable;
const unstableKey = ContentKeys.sdpStreamMetadata.unstable;

const metadata = {
  stream1: {
    user_id: "@alice:localhost",
    device_id: "ALICEDEV",
    purpose: Values.purposeUsermedia,
    audio_muted: false,
    video_muted: true,
    tracks: { t1: { kind: "audio" }, t2: { kind: "video", width: 1280, height: 720 } },
    focus: { user_id: "@focus:localhost", device_id: "FOCUSDEV" },
  },
};

describe("readSdpStreamMetadata", () => {
  it("reads the metadata under the stable key", () => {
    expect(readSdpStreamMetadata({ [stableKey]: metadata })).toEqual({ ok: true, value: metadata });
  });

  it("reads the metadata under the MSC3077 unstable key", () => {
    expect(readSdpStreamMetadata({ [unstableKey]: metadata })).toEqual({
      ok: true,
      value: metadata,
    });
  });

  it("returns undefined when neither key is present", () => {
    expect(readSdpStreamMetadata({ other: 1 })).toEqual({ ok: true, value: undefined });
  });

  it("passes unknown fields of streams and tracks through", () => {
    const withExtras = {
      s: {
        purpose: Values.purposeScreenshare,
        extra: 1,
        tracks: { t: { kind: "video", fps: 30 } },
      },
    };
    expect(readSdpStreamMetadata({ [stableKey]: withExtras })).toEqual({
      ok: true,
      value: withExtras,
    });
  });

  it("rejects a stream without purpose and a track of unknown kind, naming the key it was under", () => {
    const result = readSdpStreamMetadata({
      [unstableKey]: { s: { tracks: { t: { kind: "data", width: -1 } } } },
    });
    const base = `content[${JSON.stringify(unstableKey)}].s`;
    expect(result.ok ? [] : result.error.issues).toEqual([
      {
        path: `${base}.purpose`,
        message: `expected one of "${Values.purposeUsermedia}", "${Values.purposeScreenshare}"`,
      },
      { path: `${base}.tracks.t.kind`, message: 'expected one of "audio", "video"' },
      { path: `${base}.tracks.t.width`, message: "Too small: expected number to be >=0" },
    ]);
  });

  it("rejects content that is not an object", () => {
    const result = readSdpStreamMetadata("text");
    expect(result.ok ? [] : result.error.issues).toEqual([
      { path: "content", message: "expected object, received string" },
    ]);
  });
});

describe("parseSdpStreamMetadata", () => {
  it("rejects muted flags that are not booleans", () => {
    const result = parseSdpStreamMetadata({
      s: { purpose: Values.purposeUsermedia, audio_muted: "yes" },
    });
    expect(result.ok ? [] : result.error.issues).toEqual([
      { path: `${stableKey}.s.audio_muted`, message: "expected boolean, received string" },
    ]);
  });
});
