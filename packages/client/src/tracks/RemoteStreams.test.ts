import { Values } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { RemoteStreams } from "./RemoteStreams.ts";

class FakeStream {
  tracks: MediaStreamTrack[] = [];
  getTracks() {
    return [...this.tracks];
  }
  addTrack(t: MediaStreamTrack) {
    this.tracks.push(t);
  }
  removeTrack(t: MediaStreamTrack) {
    this.tracks = this.tracks.filter((x) => x !== t);
  }
}
const track = (id: string) => ({ id }) as MediaStreamTrack;
const make = () =>
  new RemoteStreams({
    self: { userId: "@me:hs", deviceId: "ME" },
    makeStream: () => new FakeStream() as unknown as MediaStream,
  });
const entry = (user: string, device: string, extra: object = {}) => ({
  user_id: user,
  device_id: device,
  purpose: Values.purposeUsermedia,
  tracks: { a1: { kind: "audio" as const }, v1: { kind: "video" as const } },
  ...extra,
});

describe("RemoteStreams", () => {
  it("lists the streams of others and never the own device's", () => {
    const rs = make();
    rs.setAvailable({ s1: entry("@bob:hs", "B"), mine: entry("@me:hs", "ME") });
    expect(rs.list().map((s) => [s.id, s.userId, s.deviceId])).toEqual([["s1", "@bob:hs", "B"]]);
  });

  it("replaces the available set with each new one so that a missing stream is gone", () => {
    const rs = make();
    rs.setAvailable({ s1: entry("@bob:hs", "B"), s2: entry("@carol:hs", "C") });
    rs.setAvailable({ s2: entry("@carol:hs", "C", { video_muted: true }) });
    expect(rs.list().map((s) => [s.id, s.videoMuted])).toEqual([["s2", true]]);
  });

  it("puts received tracks into the stream's MediaStream and takes them out again", () => {
    const rs = make();
    rs.setAvailable({ s1: entry("@bob:hs", "B") });
    const [s1] = rs.list();
    const a = track("x-a");
    rs.setReceived([{ streamId: "s1", trackId: "a1", track: a }]);
    expect(s1?.mediaStream.getTracks()).toEqual([a]);
    expect(rs.receivedTrack("s1", "a1")).toBe(a);
    rs.setReceived([]);
    expect(s1?.mediaStream.getTracks()).toEqual([]);
  });

  it("lists a stream that only the focus's latest offer names", () => {
    const rs = make();
    rs.setCarried({ s9: entry("@dan:hs", "D") });
    expect(rs.ids()).toEqual(["s9"]);
    expect(rs.tracksOf("s9")).toEqual([
      { trackId: "a1", kind: "audio" },
      { trackId: "v1", kind: "video" },
    ]);
  });

  it("reports a change only when something visible changed", () => {
    const rs = make();
    rs.setAvailable({ s1: entry("@bob:hs", "B") });
    expect(rs.takeChanged()).toBe(true);
    rs.setAvailable({ s1: entry("@bob:hs", "B") });
    expect(rs.takeChanged()).toBe(false);
    rs.setAvailable({ s1: entry("@bob:hs", "B", { audio_muted: true }) });
    expect(rs.takeChanged()).toBe(true);
  });

  it("drops a stream missing from the available set even while an offer still carries it", () => {
    const rs = make();
    rs.setAvailable({ s1: entry("@bob:hs", "B"), s2: entry("@bob:hs", "B") });
    rs.setCarried({ s1: entry("@bob:hs", "B"), s2: entry("@bob:hs", "B") });
    rs.setAvailable({ s1: entry("@bob:hs", "B") });
    expect(rs.ids()).toEqual(["s1"]);
  });
});
