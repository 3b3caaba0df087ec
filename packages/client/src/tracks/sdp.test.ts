import { describe, expect, it } from "vitest";
import { msidsByMid } from "./sdp.ts";

const sdp = [
  "v=0",
  "o=- 1 2 IN IP4 127.0.0.1",
  "s=-",
  "t=0 0",
  "a=group:BUNDLE 0 1 2 3",
  "m=audio 9 UDP/TLS/RTP/SAVPF 111",
  "a=mid:0",
  "a=sendonly",
  "a=msid:streamA trackA1",
  "m=video 9 UDP/TLS/RTP/SAVPF 96",
  "a=mid:1",
  "a=msid:streamA trackA2",
  "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
  "a=mid:2",
  "m=video 9 UDP/TLS/RTP/SAVPF 96",
  "a=mid:3",
  "a=inactive",
  "a=msid:- unknown",
  "",
].join("\r\n");

describe("msidsByMid", () => {
  it("maps each m-line's mid to the msid stream and track it carries", () => {
    const map = msidsByMid(sdp);
    expect([...map.values()]).toEqual([
      { mid: "0", kind: "audio", streamId: "streamA", trackId: "trackA1" },
      { mid: "1", kind: "video", streamId: "streamA", trackId: "trackA2" },
    ]);
  });

  it("skips m-lines without an msid or with the '-' stream", () => {
    const map = msidsByMid(sdp);
    expect(map.has("2")).toBe(false);
    expect(map.has("3")).toBe(false);
  });

  it("reads SDP with plain newlines as well", () => {
    expect(msidsByMid(sdp.replaceAll("\r\n", "\n")).get("1")?.trackId).toBe("trackA2");
  });
});
