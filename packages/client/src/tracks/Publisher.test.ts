import { Values } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import type { LocalMedia } from "./LocalMedia.ts";
import { Publisher } from "./Publisher.ts";

const track = (kind: string, id: string, size?: { width: number; height: number }) =>
  ({ kind, id, enabled: true, getSettings: () => size ?? {} }) as unknown as MediaStreamTrack;
const stream = (id: string, tracks: MediaStreamTrack[]) =>
  ({
    id,
    getTracks: () => tracks,
    getAudioTracks: () => tracks.filter((t) => t.kind === "audio"),
    getVideoTracks: () => tracks.filter((t) => t.kind === "video"),
  }) as unknown as MediaStream;

function setup(camMuted = false) {
  const mic = track("audio", "mic");
  const cam = track("video", "cam", { width: 1280, height: 720 });
  const local = {
    userMedia: stream("um", [mic, cam]),
    audioTrack: mic,
    videoTrack: cam,
    micMuted: false,
    camMuted,
  } as unknown as LocalMedia;
  const replaced: (string | null)[] = [];
  const stopped: string[] = [];
  const pc = {
    addTransceiver: (t: MediaStreamTrack, init: RTCRtpTransceiverInit) => ({
      init,
      sender: {
        replaceTrack: async (n: MediaStreamTrack | null) => {
          replaced.push(n === null ? null : n.id);
        },
      },
      stop: () => stopped.push(t.id),
    }),
  } as unknown as RTCPeerConnection;
  const pub = new Publisher({
    pc,
    local,
    userId: "@me:hs",
    deviceId: "DEV",
    simulcast: true,
    layers: [
      { rid: "f" },
      { rid: "h", scaleResolutionDownBy: 2 },
      { rid: "q", scaleResolutionDownBy: 4 },
    ],
  });
  return { pub, local, replaced, stopped };
}

describe("Publisher", () => {
  it("publishes the microphone and the camera of the usermedia stream", () => {
    const { pub } = setup();
    pub.publishUserMedia();
    expect(pub.metadata()).toEqual({
      um: {
        user_id: "@me:hs",
        device_id: "DEV",
        purpose: Values.purposeUsermedia,
        audio_muted: false,
        video_muted: false,
        tracks: { mic: { kind: "audio" }, cam: { kind: "video", width: 1280, height: 720 } },
      },
    });
  });

  it("adds the screen share as a second stream and takes it out again", () => {
    const { pub, stopped } = setup();
    pub.publishUserMedia();
    pub.publishScreen(stream("scr", [track("video", "scrv")]));
    expect(pub.metadata().scr?.purpose).toBe(Values.purposeScreenshare);
    pub.unpublishScreen();
    expect(Object.keys(pub.metadata())).toEqual(["um"]);
    expect(stopped).toEqual(["scrv"]);
  });

  it("keeps the SDP track id in the metadata when the camera is replaced", async () => {
    const { pub, replaced } = setup();
    pub.publishUserMedia();
    await pub.replaceTrack("video", track("video", "cam2", { width: 640, height: 480 }));
    expect(replaced).toEqual(["cam2"]);
    expect(pub.metadata().um?.tracks).toEqual({
      mic: { kind: "audio" },
      cam: { kind: "video", width: 640, height: 480 },
    });
  });

  it("sends nothing for a muted camera, also after a device switch", async () => {
    const { pub, replaced } = setup(true);
    pub.publishUserMedia();
    await Promise.resolve();
    await pub.replaceTrack("video", track("video", "cam2"));
    expect(replaced).toEqual([null, null]);
  });
});
