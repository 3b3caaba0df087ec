import { describe, expect, it } from "vitest";
import { addMsid } from "./identities.ts";

describe("addMsid", () => {
  const sdp = "v=0\r\nm=audio 9 X 111\r\na=mid:0\r\na=sendonly\r\nm=video 9 X 96\r\na=mid:1\r\n";

  it("adds the stream and track ids after the mid of each named section", () => {
    const out = addMsid(sdp, { "0": ["s", "a"], "1": ["s", "v"] });
    expect(out).toContain("a=mid:0\r\na=msid:s a\r\na=sendonly");
    expect(out).toContain("a=mid:1\r\na=msid:s v\r\n");
  });

  it("leaves sections it was not asked about alone", () => {
    expect(addMsid(sdp, { "1": ["s", "v"] })).not.toContain("msid:s a");
  });
});
