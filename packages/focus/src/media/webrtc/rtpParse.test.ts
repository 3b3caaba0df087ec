import { describe, expect, it } from "vitest";
import { parseRtpHeader, weriftRtpHeaderParse } from "./rtpParse.ts";

/** Small deterministic PRNG (mulberry32), so that a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function packet(r: () => number): Buffer {
  const int = (n: number) => Math.floor(r() * n);
  const cc = int(3);
  const withExt = r() < 0.8;
  const padding = r() < 0.2;
  const head = Buffer.alloc(12 + cc * 4);
  head[0] = 0x80 | (padding ? 0x20 : 0) | (withExt ? 0x10 : 0) | cc;
  head[1] = (r() < 0.5 ? 0x80 : 0) | int(128);
  head.writeUInt16BE(int(0x10000), 2);
  head.writeUInt32BE(int(0x100000000), 4);
  head.writeUInt32BE(int(0x100000000), 8);
  for (let i = 0; i < cc; i++) head.writeUInt32BE(int(0x100000000), 12 + i * 4);
  const parts = [head];
  if (withExt) {
    const kind = r();
    const body: number[] = [];
    const profile = kind < 0.6 ? 0xbede : kind < 0.9 ? 0x1000 : 0xabcd;
    for (let e = int(4); e > 0; e--) {
      if (r() < 0.2) body.push(0); // padding between elements
      const len = 1 + int(profile === 0xbede ? 16 : 20);
      if (profile === 0xbede) body.push(((r() < 0.05 ? 15 : 1 + int(14)) << 4) | (len - 1));
      else body.push(1 + int(255), len);
      for (let i = 0; i < len; i++) body.push(int(256));
    }
    while (body.length % 4) body.push(0);
    const ext = Buffer.alloc(4);
    ext.writeUInt16BE(profile, 0);
    ext.writeUInt16BE(body.length / 4, 2);
    parts.push(ext, Buffer.from(body));
  }
  const payload = Buffer.alloc(int(60));
  for (let i = 0; i < payload.length; i++) payload[i] = int(256);
  if (padding && payload.length > 0) payload[payload.length - 1] = 1 + int(payload.length);
  parts.push(payload);
  return Buffer.concat(parts);
}

function outcome(parse: (b: Buffer) => unknown, b: Buffer): unknown {
  try {
    return { value: JSON.parse(JSON.stringify(parse(b))) };
  } catch {
    // werift drops a packet whose header does not parse, whatever the error
    return { threw: true };
  }
}

describe("the fast RTP header parser", () => {
  it("reads 5000 generated packets exactly as werift's own parser does", () => {
    const r = rng(7);
    for (let i = 0; i < 5000; i++) {
      const b = packet(r);
      expect(outcome(parseRtpHeader, b), `packet ${i}: ${b.toString("hex")}`).toEqual(
        outcome(weriftRtpHeaderParse, b),
      );
    }
  });

  it("skips the extension block when asked to: every other field as with it, the payload after the block's length", () => {
    const r = rng(13);
    let withBlock = 0;
    for (let i = 0; i < 2000; i++) {
      const b = packet(r);
      const full = parseRtpHeader(b);
      const lean = parseRtpHeader(b, false);
      const blockEnd =
        12 +
        full.csrcLength * 4 +
        (full.extension ? 4 + b.readUInt16BE(12 + full.csrcLength * 4 + 2) * 4 : 0);
      if (full.extension) withBlock++;
      expect(lean.extensions).toEqual([]);
      expect(lean.payloadOffset, `packet ${i}`).toBe(blockEnd);
      expect({ ...lean, extensions: [], payloadOffset: 0 }).toEqual({
        ...full,
        extensions: [],
        payloadOffset: 0,
      });
    }
    expect(withBlock).toBeGreaterThan(1000);
  });

  it("throws or answers like werift on truncated and random bytes", () => {
    const r = rng(11);
    for (let i = 0; i < 3000; i++) {
      const full = packet(r);
      const b = r() < 0.5 ? full.subarray(0, Math.floor(r() * full.length)) : randomBytes(r);
      expect(outcome(parseRtpHeader, b), `case ${i}: ${b.toString("hex")}`).toEqual(
        outcome(weriftRtpHeaderParse, b),
      );
    }
  });

  it("reads marker, payload type, sequence number, timestamp, SSRC and a mid extension", () => {
    const b = Buffer.from("90e0fffe0000a00011223344bede0001103100000102", "hex");
    const h = parseRtpHeader(b);
    expect(h).toMatchObject({
      marker: true,
      payloadType: 96,
      sequenceNumber: 0xfffe,
      timestamp: 0xa000,
      ssrc: 0x11223344,
      payloadOffset: 20,
    });
    expect(h.extensions).toEqual([{ id: 1, payload: Buffer.from("1") }]);
  });
});

function randomBytes(r: () => number): Buffer {
  const b = Buffer.alloc(Math.floor(r() * 40));
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
  return b;
}
