import { describe, expect, it } from "vitest";
import { Event, type MediaStreamTrack, type RTCRtpTransceiver, RtpHeader, RtpPacket } from "werift";
import { IncomingLayer } from "./IncomingLayer.ts";
import type { NativeSrtp } from "./nativeSrtp.ts";
import { parseRtpHeader } from "./rtpParse.ts";
import { sendQueue } from "./sendQueue.ts";

/** A send queue whose system call is recorded instead of made. */
function recordingQueue() {
  const batches: number[] = [];
  const native = {
    sendBatch: (_arena: Uint8Array, _meta: Uint32Array, count: number) => {
      batches.push(count);
      return count;
    },
  } as unknown as NativeSrtp;
  return { queue: sendQueue(native), batches };
}

function layer(receiver: object = {}): IncomingLayer {
  const track = {
    kind: "video",
    rid: "q",
    onReceiveRtp: new Event<[RtpPacket]>(),
  } as unknown as MediaStreamTrack;
  const transceiver = {
    mid: "0",
    receiver,
    currentDirection: null,
  } as unknown as RTCRtpTransceiver;
  return new IncomingLayer(track, transceiver);
}

const packet = () => new RtpPacket(new RtpHeader({ ssrc: 1, sequenceNumber: 7 }), Buffer.alloc(10));

describe("IncomingLayer", () => {
  it("sends the copies its listeners queued for a packet before the packet's delivery returns", () => {
    const { queue, batches } = recordingQueue();
    const l = layer();
    // two subscribers' copies of the packet, queued as the forwarding path queues them
    l.onRtp(() => {
      for (let i = 0; i < 2; i++) {
        queue.reserve(100);
        queue.commit(3, 0x7f000001, 5000 + i, 100);
      }
    });
    l.injectRtp(packet());
    // not left for the end of the event-loop turn, where later datagrams' copies would join
    expect(batches).toEqual([2]);
    l.injectRtp(packet());
    expect(batches).toEqual([2, 2]);
  });

  it("counts an intercepted packet into its receiver's statistics, also one with an extension block of unknown profile", () => {
    const stats = {
      cycles: 0,
      packets_received: 0,
      bytesReceived: 0,
      headerBytesReceived: 0,
      clockRate: 90000,
      jitter_q4: 0,
    };
    const l = layer({ remoteStreams: { 1: stats } });
    const got: number[] = [];
    l.onRtp((p) => got.push(p.header.sequenceNumber));
    // header (12) + extension block of profile 0xabcd with one word, as the intercept parses it
    const raw = Buffer.from("906000070000000000000001abcd000100000000", "hex");
    const header = parseRtpHeader(raw, false);
    expect(header.extensions).toEqual([]);
    expect(l.receiveIntercepted(new RtpPacket(header, Buffer.alloc(30)))).toBe(true);
    expect(got).toEqual([7]);
    expect(stats).toMatchObject({
      packets_received: 1,
      bytesReceived: 30,
      headerBytesReceived: 20,
      max_seq: 7,
    });
  });
});
