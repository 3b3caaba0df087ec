import { parseSdpStreamMetadata, Values } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { buildLocalMetadata } from "./localMetadata.ts";

describe("buildLocalMetadata", () => {
  const input = {
    userId: "@me:hs",
    deviceId: "DEV",
    audioMuted: true,
    videoMuted: false,
    publications: [
      {
        streamId: "cam",
        trackId: "mic1",
        kind: "audio" as const,
        purpose: Values.purposeUsermedia,
      },
      {
        streamId: "cam",
        trackId: "cam1",
        kind: "video" as const,
        purpose: Values.purposeUsermedia,
        width: 1280,
        height: 720,
      },
      {
        streamId: "scr",
        trackId: "scr1",
        kind: "video" as const,
        purpose: Values.purposeScreenshare,
      },
    ],
  };

  it("describes each own stream with owner, purpose, mute flags and tracks", () => {
    const md = buildLocalMetadata(input);
    expect(md).toEqual({
      cam: {
        user_id: "@me:hs",
        device_id: "DEV",
        purpose: Values.purposeUsermedia,
        audio_muted: true,
        video_muted: false,
        tracks: { mic1: { kind: "audio" }, cam1: { kind: "video", width: 1280, height: 720 } },
      },
      scr: {
        user_id: "@me:hs",
        device_id: "DEV",
        purpose: Values.purposeScreenshare,
        audio_muted: false,
        video_muted: false,
        tracks: { scr1: { kind: "video" } },
      },
    });
  });

  it("produces metadata the protocol parser accepts", () => {
    expect(parseSdpStreamMetadata(buildLocalMetadata(input)).ok).toBe(true);
  });
});
