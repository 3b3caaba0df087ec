import { describe, expect, it } from "vitest";
import { PacketHistory } from "./PacketHistory.ts";

const opts = { slots: 512, keepMs: 1000, maxBytes: 64 * 1024, initialBytes: 4096 };

function payload(seq: number, size = 1000): Uint8Array {
  const p = new Uint8Array(size);
  for (let i = 0; i < size; i++) p[i] = (seq * 7 + i) & 0xff;
  return p;
}

describe("PacketHistory", () => {
  it("returns a kept packet with the same header fields and payload bytes", () => {
    const h = new PacketHistory(opts);
    h.add(0x1234, 100, 90000, true, payload(100), 0);
    h.add(0x1234, 101, 93000, false, payload(101, 300), 0);
    expect(h.get(100)).toMatchObject({ ssrc: 0x1234, sequenceNumber: 100, timestamp: 90000 });
    expect(h.get(100)?.marker).toBe(true);
    expect(h.get(101)?.marker).toBe(false);
    expect(h.get(100)?.payload.equals(payload(100))).toBe(true);
    expect(h.get(101)?.payload.equals(payload(101, 300))).toBe(true);
    expect(h.get(102)).toBeUndefined();
  });

  it("hands out copies that do not change with later packets", () => {
    const h = new PacketHistory({ ...opts, maxBytes: 4096 });
    h.add(1, 1, 0, false, payload(1), 0);
    const kept = h.get(1);
    for (let s = 2; s < 20; s++) h.add(1, s, 0, false, payload(s), 0);
    expect(kept?.payload.equals(payload(1))).toBe(true);
  });

  it("forgets a packet once its bytes are overwritten in a ring that may not grow", () => {
    const h = new PacketHistory({ ...opts, maxBytes: 4096, initialBytes: 4096 });
    for (let s = 0; s < 4; s++) h.add(1, s, 0, false, payload(s), 0);
    expect(h.get(0)?.payload.equals(payload(0))).toBe(true);
    h.add(1, 4, 0, false, payload(4), 0); // wraps, overwrites packet 0
    expect(h.get(0)).toBeUndefined();
    expect(h.get(1)?.payload.equals(payload(1))).toBe(true);
    expect(h.get(4)?.payload.equals(payload(4))).toBe(true);
    expect(h.capacityBytes).toBe(4096);
  });

  it("grows while a lap of the ring takes less than keepMs, keeping what it holds", () => {
    const h = new PacketHistory(opts);
    // 100 packets of 1000 bytes per second: one second needs about 100 kB, capped at 64 KiB
    for (let s = 0; s < 200; s++) h.add(1, s, s, false, payload(s), s * 10);
    expect(h.capacityBytes).toBe(64 * 1024);
    expect(h.get(199)?.payload.equals(payload(199))).toBe(true);
    expect(h.get(199 - 60)?.payload.equals(payload(199 - 60))).toBe(true);
    expect(h.get(199 - 70)).toBeUndefined();
  });

  it("stops growing once a lap covers keepMs", () => {
    const h = new PacketHistory({ ...opts, maxBytes: 1024 * 1024 });
    // 10 kB/s: about 10 kB per second, so 16 KiB suffice
    for (let s = 0; s < 300; s++) h.add(1, s, s, false, payload(s), s * 100);
    expect(h.capacityBytes).toBe(16 * 1024);
    expect(h.get(299 - 10)?.payload.equals(payload(299 - 10))).toBe(true);
  });

  it("shrinks again when laps take over twice keepMs, keeping the newest packets", () => {
    const h = new PacketHistory({ ...opts, maxBytes: 1024 * 1024 });
    // a burst of 1 MB/s for 0.3 s, then 10 kB/s for 150 s (the 1 MiB ring laps once)
    let t = 0;
    let s = 0;
    for (; s < 300; s++, t += 1) h.add(1, s, s, false, payload(s), t);
    const burst = h.capacityBytes;
    for (; s < 1800; s++, t += 100) h.add(1, s & 0xffff, s, false, payload(s), t);
    expect(burst).toBeGreaterThan(256 * 1024);
    // between 1 and 2 s of 10 kB/s, in 4 KiB steps
    expect(h.capacityBytes).toBeGreaterThanOrEqual(12 * 1024);
    expect(h.capacityBytes).toBeLessThanOrEqual(24 * 1024);
    for (let q = s - 10; q < s; q++) expect(h.get(q)?.payload.equals(payload(q))).toBe(true);
  });

  it("keeps at most `slots` packets, by sequence number, across the 16-bit wrap", () => {
    const h = new PacketHistory({ ...opts, slots: 8 });
    for (let s = 65530; s < 65536 + 4; s++) h.add(1, s & 0xffff, 0, false, payload(s, 10), 0);
    expect(h.get(65533)?.payload.equals(payload(65533, 10))).toBe(true);
    expect(h.get(3)?.payload.equals(payload(65539, 10))).toBe(true);
    h.add(1, 5, 0, false, payload(5, 10), 0); // same slot as 65533
    expect(h.get(65533)).toBeUndefined();
  });

  it("does not keep a packet larger than maxBytes, and forgets the one in its slot", () => {
    const h = new PacketHistory({ ...opts, maxBytes: 2048, initialBytes: 2048 });
    h.add(1, 7, 0, false, payload(7, 100), 0);
    h.add(1, 7 + 512, 0, false, payload(7, 3000), 0);
    expect(h.get(7)).toBeUndefined();
    expect(h.get(7 + 512)).toBeUndefined();
  });

  it("forgets everything on clear", () => {
    const h = new PacketHistory(opts);
    h.add(1, 1, 0, false, payload(1), 0);
    h.clear();
    expect(h.get(1)).toBeUndefined();
    expect(h.capacityBytes).toBe(0);
  });

  it("releases its ring once nothing was added for the idle time, and keeps it before", () => {
    const h = new PacketHistory(opts);
    h.add(1, 1, 0, false, payload(1), 1000);
    h.releaseIfIdle(2999, 2000);
    expect(h.get(1)).toBeDefined();
    h.releaseIfIdle(3000, 2000);
    expect(h.get(1)).toBeUndefined();
    expect(h.capacityBytes).toBe(0);
    h.add(1, 2, 0, false, payload(2), 3500);
    expect(h.get(2)?.sequenceNumber).toBe(2);
  });
});
