import { describe, expect, it } from "vitest";
import { RTCPeerConnection, RtpHeader, RtpPacket } from "werift";
import { countReceived, type StreamStatisticsLike } from "./receiveStats.ts";

type WeriftStats = StreamStatisticsLike & { add(p: RtpPacket, nowSeconds: number): void };

/** werift's own StreamStatistics class, taken from a receiver that counted one packet. */
async function weriftStatsClass(): Promise<new (clockRate: number) => WeriftStats> {
  const pc = new RTCPeerConnection({});
  try {
    const t = pc.addTransceiver("video", { direction: "recvonly" });
    const receiver = t.receiver as unknown as {
      codecs: Record<number, { clockRate: number }>;
      handleRTP(p: RtpPacket, ext: object, track: undefined): void;
      remoteStreams: Record<number, WeriftStats>;
    };
    receiver.codecs = { 96: { clockRate: 90000 } };
    try {
      receiver.handleRTP(packet(1, 0), {}, undefined);
    } catch {
      // what follows the count (transport-cc, the track) needs a negotiated receiver
    }
    return (receiver.remoteStreams[7] as WeriftStats).constructor as never;
  } finally {
    await pc.close();
  }
}

function packet(seq: number, ts: number): RtpPacket {
  return new RtpPacket(
    new RtpHeader({ payloadType: 96, sequenceNumber: seq, timestamp: ts, ssrc: 7 }),
    Buffer.alloc(100 + (seq % 7)),
  );
}

describe("received-stream statistics counted past werift", () => {
  it("match werift's own counts, expected packets and jitter, across reordering, loss and a wrap", async () => {
    const Stats = await weriftStatsClass();
    const theirs = new Stats(90000);
    const ours = new Stats(90000);
    const seqs = [65530, 65531, 65533, 65532, 65534, 65535, 0, 2, 1, 3, 6, 7, 7, 8];
    let ms = 1_765_000_000_000;
    for (const [i, seq] of seqs.entries()) {
      ms += 20 + (i % 3) * 7 + 0.4321;
      const ts = (1_000_000 + seq * 3000 + (i % 2) * 90) >>> 0;
      theirs.add(packet(seq, ts), ms / 1000);
      countReceived(ours, seq, ts, 12, 100 + (seq % 7), ms);
    }
    const fields = (s: WeriftStats) => ({
      base_seq: s.base_seq,
      max_seq: s.max_seq,
      cycles: s.cycles,
      packets_received: s.packets_received,
      bytesReceived: s.bytesReceived,
      headerBytesReceived: s.headerBytesReceived,
      jitter_q4: s.jitter_q4,
      last_arrival: s.last_arrival,
      last_timestamp: s.last_timestamp,
    });
    expect(fields(ours)).toEqual(fields(theirs));
    expect(ours.cycles).toBe(1 << 16);
    expect(ours.jitter_q4).toBeGreaterThan(0);
    expect(ours.lastPacketReceivedTimestamp).toBe(ms);
  });
});
