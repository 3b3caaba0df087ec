import { describe, expect, it } from "vitest";
import { alignExtmapIds, extmapIds, hasExtmapClash } from "./extmap.ts";

const MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
const ABS = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
const RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
const RRID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

// What the browser negotiated in the first exchange.
const negotiated = [
  "m=audio 9 UDP/TLS/RTP/SAVPF 111",
  "a=mid:0",
  `a=extmap:2 ${ABS}`,
  `a=extmap:4 ${MID}`,
  "m=video 9 UDP/TLS/RTP/SAVPF 96",
  "a=mid:1",
  `a=extmap:2 ${ABS}`,
  `a=extmap:4 ${MID}`,
  `a=extmap:10 ${RID}`,
  `a=extmap:11 ${RRID}`,
].join("\r\n");

// A focus offer adding two m-lines numbered per kind (as captured from werift).
const offer = [
  negotiated,
  "m=audio 9 UDP/TLS/RTP/SAVPF 96",
  "a=mid:3",
  `a=extmap:1 ${MID}`,
  `a=extmap:2 ${ABS}`,
  "m=video 9 UDP/TLS/RTP/SAVPF 97 98",
  "a=mid:4",
  `a=extmap:3 ${MID}`,
  `a=extmap:4 ${RID}`,
  `a=extmap:5 ${RRID}`,
  `a=extmap:6/sendonly ${ABS}`,
  "",
].join("\r\n");

describe("alignExtmapIds", () => {
  it("detects an id that names two extensions in one bundle", () => {
    expect(hasExtmapClash(offer)).toBe(true);
    expect(hasExtmapClash(negotiated)).toBe(false);
  });

  it("renumbers the focus's new m-lines to the ids already negotiated", () => {
    const aligned = alignExtmapIds(offer, negotiated);
    expect(hasExtmapClash(aligned)).toBe(false);
    const section4 = aligned.slice(aligned.indexOf("a=mid:4"));
    expect(section4).toContain(`a=extmap:4 ${MID}`);
    expect(section4).toContain(`a=extmap:10 ${RID}`);
    expect(section4).toContain(`a=extmap:11 ${RRID}`);
    expect(section4).toContain(`a=extmap:2/sendonly ${ABS}`);
    expect(aligned.endsWith("\r\n")).toBe(true);
  });

  it("gives an extension new to the session an id nobody uses", () => {
    const extra = `${offer}a=extmap:4 urn:example:new\r\n`;
    const ids = extmapIds(alignExtmapIds(extra, negotiated));
    expect(ids.get("urn:example:new")).toBe(1);
  });

  it("leaves an offer without clashes untouched", () => {
    expect(alignExtmapIds(negotiated, "")).toBe(negotiated);
  });
});
