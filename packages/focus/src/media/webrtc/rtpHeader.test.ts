import { describe, expect, it } from "vitest";
import { RtpHeader } from "werift";
import {
  absSendTime,
  headerTemplate,
  URI_ABS_SEND_TIME,
  URI_MID,
  writeHeader,
} from "./rtpHeader.ts";

const exts = [
  { id: 3, uri: URI_ABS_SEND_TIME },
  { id: 1, uri: URI_MID },
  { id: 5, uri: "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id" },
];

describe("RTP headers of forwarded packets", () => {
  it("writes marker, sequence number, timestamp, SSRC, payload type, mid and abs-send-time that a parser reads back", () => {
    const t = headerTemplate(96, 0xdeadbeef, "1", exts);
    const ms = 1_700_000_123.456;
    const h = RtpHeader.deSerialize(writeHeader(t, true, 65535, 0xfffffff0, ms));
    expect(h).toMatchObject({
      version: 2,
      marker: true,
      payloadType: 96,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      extension: true,
      extensionProfile: 0xbede,
    });
    expect(h.extensions.map((e) => e.id)).toEqual([1, 3]);
    expect(h.extensions[0]?.payload.toString()).toBe("1");
    expect(h.extensions[1]?.payload.readUIntBE(0, 3)).toBe(absSendTime(ms));
    expect(h.payloadOffset).toBe(t.bytes.length);
  });

  it("leaves the marker off and changes nothing in the template", () => {
    const t = headerTemplate(111, 7, "0", exts);
    const copy = Buffer.from(t.bytes);
    const h = RtpHeader.deSerialize(writeHeader(t, false, 1, 2, 0));
    expect(h.marker).toBe(false);
    expect(h.payloadType).toBe(111);
    expect(t.bytes.equals(copy)).toBe(true);
  });

  it("uses the two-byte form for ids above 14 and no extension block without extensions", () => {
    const two = RtpHeader.deSerialize(
      writeHeader(headerTemplate(96, 1, "12", [{ id: 15, uri: URI_MID }]), false, 1, 2, 0),
    );
    expect(two.extensionProfile).toBe(0x1000);
    expect(two.extensions).toEqual([{ id: 15, payload: Buffer.from("12") }]);
    const none = writeHeader(headerTemplate(96, 1, undefined, []), false, 1, 2, 0);
    expect(none.length).toBe(12);
    expect(RtpHeader.deSerialize(none).extension).toBe(false);
  });

  it("encodes abs-send-time as 6.18 fixed-point seconds wrapping at 64 s", () => {
    expect(absSendTime(0)).toBe(0);
    expect(absSendTime(1000)).toBe(1 << 18);
    expect(absSendTime(64_000)).toBe(0);
    expect(absSendTime(63_999.999)).toBe(0xffffff);
  });
});
