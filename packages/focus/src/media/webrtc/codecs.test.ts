import { describe, expect, it } from "vitest";
import { addGoogleBitrates, alignExtensionIds, stripTransportCc } from "./codecs.ts";

const sdp = [
  "v=0",
  "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
  "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
  "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
  "a=rtpmap:96 VP8/90000",
  "a=rtcp-fb:96 transport-cc",
  "a=rtcp-fb:96 nack",
  "a=rtpmap:97 rtx/90000",
  "a=fmtp:97 apt=96",
  "",
].join("\r\n");

describe("SDP adjustments", () => {
  it("removes transport-cc feedback and its header extension, nothing else", () => {
    const out = stripTransportCc(sdp);
    expect(out).not.toMatch(/transport-cc|transport-wide-cc/);
    expect(out).toContain("a=rtcp-fb:96 nack");
    expect(out).toContain("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid");
  });

  it("adds Chrome's start and min bitrate to VP8 only", () => {
    const out = addGoogleBitrates(sdp, 2500, 1000);
    expect(out).toContain("a=fmtp:96 x-google-start-bitrate=2500;x-google-min-bitrate=1000");
    expect(out).toContain("a=fmtp:97 apt=96");
    expect(addGoogleBitrates(sdp, 0, 0)).toBe(sdp);
  });
});

describe("alignExtensionIds", () => {
  it("keeps the ids a browser negotiated and gives new URIs free ids", () => {
    const negotiated = [
      { uri: "mid", id: 4 },
      { uri: "abs", id: 2 },
      { uri: "rid", id: 10 },
    ];
    expect(alignExtensionIds(negotiated, ["mid", "rid", "rrid", "abs"])).toEqual([
      { uri: "mid", id: 4 },
      { uri: "rid", id: 10 },
      { uri: "rrid", id: 1 },
      { uri: "abs", id: 2 },
    ]);
  });

  it("numbers from 1 when nothing is negotiated yet", () => {
    expect(alignExtensionIds([], ["mid", "abs"])).toEqual([
      { uri: "mid", id: 1 },
      { uri: "abs", id: 2 },
    ]);
  });
});
