import { describe, expect, it } from "vitest";
import { addSimulcastRecv, readRemoteSimulcast } from "./simulcastSdp.ts";

const browserOffer = [
  "v=0",
  "m=audio 9 UDP/TLS/RTP/SAVPF 111",
  "a=mid:0",
  "a=sendonly",
  "m=video 9 UDP/TLS/RTP/SAVPF 96",
  "a=mid:1",
  "a=sendonly",
  "a=rid:f send",
  "a=rid:h send",
  "a=rid:q send",
  "a=simulcast:send f;h;q",
  "",
].join("\r\n");

const focusOffer = [
  "v=0",
  "m=audio 9 UDP/TLS/RTP/SAVPF 111",
  "a=recvonly",
  "a=mid:0",
  "m=video 9 UDP/TLS/RTP/SAVPF 96",
  "a=recvonly",
  "a=mid:1",
  "m=video 9 UDP/TLS/RTP/SAVPF 96",
  "a=sendonly",
  "a=mid:3",
  "",
].join("\r\n");

describe("simulcast in focus offers", () => {
  it("reads the browser's send simulcast per mid", () => {
    expect(readRemoteSimulcast(browserOffer)).toEqual(
      new Map([["1", { rids: ["f", "h", "q"], spec: "f;h;q" }]]),
    );
  });

  it("adds recv rids and simulcast to the re-offered m-line only", () => {
    const out = addSimulcastRecv(focusOffer, readRemoteSimulcast(browserOffer));
    const video1 = out.split("m=video")[1] ?? "";
    const video3 = out.split("m=video")[2] ?? "";
    expect(video1).toContain(
      "a=rid:f recv\r\na=rid:h recv\r\na=rid:q recv\r\na=simulcast:recv f;h;q",
    );
    expect(video3).not.toContain("simulcast");
    expect(out.split("m=audio")[1]?.split("m=video")[0]).not.toContain("simulcast");
    expect(out.endsWith("\r\n")).toBe(true);
  });

  it("leaves an offer that already has them alone", () => {
    const withSim = focusOffer.replace("a=mid:1", "a=mid:1\r\na=simulcast:recv f;h;q");
    expect(addSimulcastRecv(withSim, readRemoteSimulcast(browserOffer))).toBe(withSim);
  });
});
