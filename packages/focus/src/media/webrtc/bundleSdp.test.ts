import { describe, expect, it } from "vitest";
import { dropBundledCandidates } from "./bundleSdp.ts";

const section = (kind: string, mid: string) => [
  `m=${kind} 9 UDP/TLS/RTP/SAVPF 96`,
  "c=IN IP4 0.0.0.0",
  "a=candidate:1 1 udp 2116026367 10.0.0.2 5000 typ host",
  "a=end-of-candidates",
  "a=ice-ufrag:abcd",
  `a=mid:${mid}`,
];

const sdp = (group: string | undefined, mids: string[]) =>
  [
    "v=0",
    "o=- 1 0 IN IP4 0.0.0.0",
    "s=-",
    "t=0 0",
    ...(group === undefined ? [] : [`a=group:BUNDLE ${group}`]),
    ...mids.flatMap((m, i) => section(i % 2 ? "video" : "audio", m)),
    "",
  ].join("\r\n");

const candidatesPerSection = (s: string) =>
  s
    .split("\r\nm=")
    .slice(1)
    .map((x) => x.split("\r\n").filter((l) => l.startsWith("a=candidate:")).length);

describe("candidates of bundled m-sections", () => {
  it("keeps candidates only in the m-section that carries the bundle", () => {
    const out = dropBundledCandidates(sdp("0 1 2", ["0", "1", "2"]));
    expect(candidatesPerSection(out)).toEqual([1, 0, 0]);
    expect(out.match(/a=end-of-candidates/g)).toHaveLength(1);
    expect(out.match(/a=ice-ufrag:abcd/g)).toHaveLength(3);
    expect(out.endsWith("\r\n")).toBe(true);
  });

  it("keeps the candidates of an m-section outside the bundle, and the tagged one's wherever it is", () => {
    const out = dropBundledCandidates(sdp("1 2", ["0", "1", "2"]));
    expect(candidatesPerSection(out)).toEqual([1, 1, 0]);
  });

  it("changes nothing without a bundle group", () => {
    const s = sdp(undefined, ["0", "1"]);
    expect(dropBundledCandidates(s)).toBe(s);
  });

  it("leaves everything but the dropped lines as it was", () => {
    const s = sdp("0 1", ["0", "1"]);
    const kept = s.split("\r\n").filter((l, i, all) => {
      const inSecond = i > all.indexOf("m=video 9 UDP/TLS/RTP/SAVPF 96");
      return !(inSecond && (l.startsWith("a=candidate:") || l === "a=end-of-candidates"));
    });
    expect(dropBundledCandidates(s)).toBe(kept.join("\r\n"));
  });
});
