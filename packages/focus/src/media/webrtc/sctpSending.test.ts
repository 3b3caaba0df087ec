import { describe, expect, it } from "vitest";
import { type RTCDataChannel, RTCPeerConnection } from "werift";
import {
  focusSctpSending,
  type SctpSendingOptions,
  tuneSctpSending,
  useSctpSending,
} from "./sctpSending.ts";

const MTU = 1000;

/** Sends as werift's association does: at most 4 packets beyond those in flight, per call. */
class FakeAssociation {
  rto = 3;
  cwnd = 3 * MTU;
  maxPayloadSize = MTU;
  flightSize = 0;
  peerRwnd = 1_000_000;
  outboundQueue: number[] = [];
  fastRecoveryExit: number | undefined;
  calls = 0;
  queue(packets: number): this {
    for (let i = 0; i < packets; i++) this.outboundQueue.push(i);
    return this;
  }
  async transmitOnce(): Promise<void> {
    this.calls++;
    const burst = (this.fastRecoveryExit !== undefined ? 2 : 4) * MTU;
    const limit = Math.min(this.flightSize + burst, this.cwnd);
    while (this.outboundQueue.length > 0 && this.flightSize < limit && this.peerRwnd > 0) {
      this.outboundQueue.shift();
      this.flightSize += MTU;
      this.peerRwnd -= MTU;
    }
  }
}

function tuned(o: SctpSendingOptions = { initialWindowPackets: 32, maxBurstPackets: 32 }) {
  class Association extends FakeAssociation {}
  expect(tuneSctpSending(Association.prototype, o)).toBe(true);
  return Association;
}

describe("SCTP sending", () => {
  it("starts an association at the initial window and fills it in one transmission", async () => {
    const a = new (tuned())().queue(35);
    await a.transmitOnce();
    expect(a.cwnd).toBe(32 * MTU);
    expect(a.flightSize).toBe(32 * MTU);
  });

  it("stops a transmission after the burst limit even when the window allows more", async () => {
    const a = new (tuned({ initialWindowPackets: 10, maxBurstPackets: 4 }))().queue(35);
    await a.transmitOnce();
    expect(a.flightSize).toBe(4 * MTU);
  });

  it("keeps werift's own limit during fast recovery", async () => {
    const a = new (tuned())().queue(35);
    a.fastRecoveryExit = 7;
    await a.transmitOnce();
    expect(a.flightSize).toBe(2 * MTU);
  });

  it("never sends beyond what the receiver's window allows", async () => {
    const a = new (tuned())().queue(35);
    a.peerRwnd = 5 * MTU;
    await a.transmitOnce();
    expect(a.flightSize).toBe(5 * MTU);
  });

  it("does not shrink a window that already grew", async () => {
    const a = new (tuned())().queue(35);
    a.cwnd = 40 * MTU;
    await a.transmitOnce();
    expect(a.cwnd).toBe(40 * MTU);
  });

  it("keeps the retransmission timeout werift derives from slow round trips at the cap", async () => {
    const o = { initialWindowPackets: 10, maxBurstPackets: 4, maxRtoSeconds: 3 };
    const a = new (tuned(o))().queue(1);
    await a.transmitOnce();
    a.rto = 42; // werift: srtt + 4 rttvar after round trips of seconds
    expect(a.rto).toBe(3);
    a.rto = 1.5;
    expect(a.rto).toBe(1.5);
  });

  it("leaves the retransmission timeout to werift without a cap", async () => {
    const a = new (tuned())().queue(1);
    await a.transmitOnce();
    a.rto = 42;
    expect(a.rto).toBe(42);
  });

  it("patches a class only once", () => {
    const Association = tuned();
    expect(tuneSctpSending(Association.prototype, focusSctpSending)).toBe(false);
  });

  it("carries large data-channel messages intact and in order between tuned werift peers", async () => {
    const a = new RTCPeerConnection({ iceServers: [], iceAdditionalHostAddresses: ["127.0.0.1"] });
    const b = new RTCPeerConnection({ iceServers: [], iceAdditionalHostAddresses: ["127.0.0.1"] });
    try {
      const dc = a.createDataChannel("control", { ordered: true });
      useSctpSending(a, focusSctpSending);
      const remote = new Promise<RTCDataChannel>((resolve) => b.onDataChannel.once(resolve));
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription as never);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription as never);
      const other = await remote;
      await new Promise<void>((resolve) => {
        if (dc.readyState === "open") resolve();
        else dc.stateChanged.subscribe((s) => s === "open" && resolve());
      });
      const sctp = (
        a.sctpTransport as unknown as {
          sctp: { cwnd: number; maxPayloadSize: number; rto: number };
        }
      ).sctp;
      const first = new Promise((resolve) => other.onMessage.once(resolve));
      dc.send("hello");
      await first;
      // werift alone starts at 3 packets
      expect(sctp.cwnd).toBeGreaterThanOrEqual(
        focusSctpSending.initialWindowPackets * sctp.maxPayloadSize,
      );
      // and lets its retransmission timeout grow to 60 s
      sctp.rto = 60;
      expect(sctp.rto).toBe(focusSctpSending.maxRtoSeconds);
      const sent = [40_000, 60_000, 10, 50_000].map((n, i) =>
        String.fromCharCode(97 + i).repeat(n),
      );
      const received: string[] = [];
      const all = new Promise<void>((resolve) =>
        other.onMessage.subscribe((m) => {
          received.push(m.toString());
          if (received.length === sent.length) resolve();
        }),
      );
      for (const m of sent) dc.send(m);
      await all;
      expect(received).toEqual(sent);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
