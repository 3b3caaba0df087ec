// The fixtures are meant to be what the deployed client really sends; these checks keep the
// invite's SDP consistent with its metadata.
import { describe, expect, it } from "vitest";
import { ContentKeys } from "../names.ts";
import { loadEventFixture } from "./fixtures.ts";

function msids(sdp: string): { stream: string; track: string }[] {
  return [...sdp.matchAll(/^a=msid:(\S+) (\S+)$/gm)].map((m) => ({
    stream: m[1] ?? "",
    track: m[2] ?? "",
  }));
}

describe("invite fixture", () => {
  const content = loadEventFixture("call-invite.json").content;
  const sdp = (content.offer as { sdp: string }).sdp;

  it("offers bundled audio, simulcast video with f/h/q and a data channel", () => {
    expect(sdp).toContain("a=group:BUNDLE 0 1 2");
    expect(sdp.match(/^m=(\w+)/gm)).toEqual(["m=audio", "m=video", "m=application"]);
    for (const rid of ["f", "h", "q"]) expect(sdp).toContain(`a=rid:${rid} send\r\n`);
    expect(sdp).toContain("a=simulcast:send f;h;q\r\n");
    expect(sdp.endsWith("\r\n")).toBe(true);
  });

  it("names in its metadata exactly the streams of its msid lines", () => {
    const metadata = content[ContentKeys.sdpStreamMetadata.unstable] as Record<string, unknown>;
    const streams = new Set(msids(sdp).map((m) => m.stream));
    expect(Object.keys(metadata)).toEqual([...streams]);
    expect(msids(sdp)).toHaveLength(2);
  });
});
