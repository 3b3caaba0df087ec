import { describe, expect, it } from "vitest";
import { FakeClock } from "../../util/Clock.ts";
import { mediaOptions } from "../defaults.ts";
import { newMediaCounters } from "../MediaCounters.ts";
import { FanoutQueue } from "./FanoutQueue.ts";
import { fakeLayer, vp8Packet } from "./forwardingTestSupport.ts";
import { type PacketSink, TrackReceiver } from "./TrackReceiver.ts";

/** A queue whose slices run when the test says so (one slice does everything queued). */
function handQueue() {
  const pending: (() => void)[] = [];
  const queue = new FanoutQueue({
    sliceMs: 1000,
    now: () => 0,
    schedule: (fn) => pending.push(fn),
    flush: () => {},
  });
  return { queue, turn: () => pending.shift()?.() };
}

/** A receiver of one video layer with `n` sinks that record the sequence numbers they get. */
function receiverWithSinks(n: number, queue: FanoutQueue, ssrc: number) {
  const receiver = new TrackReceiver({
    kind: "video",
    streamId: `s${ssrc}`,
    trackId: "t",
    clock: new FakeClock(),
    media: mediaOptions({ fanoutInlineSinks: 2 }),
    counters: newMediaCounters(),
    appData: {},
    fanout: queue,
  });
  const l = fakeLayer("f", ssrc);
  receiver.addLayer(l.layer);
  const got: number[][] = [];
  for (let i = 0; i < n; i++) {
    const seqs: number[] = [];
    got.push(seqs);
    const sink: PacketSink = {
      packetArrived: (_rid, p) => {
        seqs.push(p.header.sequenceNumber);
        return true;
      },
      layersChanged: () => {},
    };
    receiver.addSink(sink);
  }
  const push = (seq: number) => l.push(vp8Packet(seq, seq, seq === 1, ssrc));
  return { receiver, got, push };
}

describe("TrackReceiver fan-out in slices", () => {
  it("sends a packet to its first subscribers at once and to the rest in a later slice, each sink in order", () => {
    const { queue, turn } = handQueue();
    const { receiver, got, push } = receiverWithSinks(5, queue, 1111);
    push(1);
    expect(got).toEqual([[1], [1], [], [], []]);
    // while the first packet's fan-out is queued, the next one queues whole behind it
    push(2);
    expect(got).toEqual([[1], [1], [], [], []]);
    turn();
    expect(got).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    // kept for subscriber NACKs, as an inline fan-out's packet would be
    expect(receiver.historyPacket("f", 2)?.header.sequenceNumber).toBe(2);
    push(3);
    expect(got.map((g) => g.length)).toEqual([3, 3, 2, 2, 2]);
    receiver.close();
    turn();
    expect(got.map((g) => g.length)).toEqual([3, 3, 2, 2, 2]); // closed: the rest is dropped
  });

  it("sends a small fan-out at once while a large one waits for its slices", () => {
    const { queue, turn } = handQueue();
    const large = receiverWithSinks(5, queue, 1111);
    // up to twice the inline part (2 here) a fan-out goes whole
    const small = receiverWithSinks(4, queue, 2222);
    large.push(1);
    small.push(1);
    expect(small.got).toEqual([[1], [1], [1], [1]]);
    expect(large.got.slice(2)).toEqual([[], [], []]);
    turn();
    expect(large.got.slice(2)).toEqual([[1], [1], [1]]);
  });
});
