import { DataChannelErrorCode, DataChannelNames, Values } from "@matrix-focus/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../log.ts";
import { FakeClock } from "../util/Clock.ts";
import { type DataChannelLike, DataChannelSignaller } from "./DataChannelSignaller.ts";

class FakeChannel implements DataChannelLike {
  readyState = "connecting";
  sent: unknown[] = [];
  listeners = new Map<string, ((ev: { data?: unknown }) => void)[]>();
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  addEventListener(type: string, l: (ev: { data?: unknown }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  fire(type: string, data?: unknown) {
    if (type === "open") this.readyState = "open";
    for (const l of this.listeners.get(type) ?? []) l({ data });
  }
}

describe("DataChannelSignaller", () => {
  let clock: FakeClock;
  let channel: FakeChannel;
  let sig: DataChannelSignaller;

  beforeEach(() => {
    clock = new FakeClock();
    channel = new FakeChannel();
    sig = new DataChannelSignaller({ channel, clock, logger: silentLogger, pingTimeoutMs: 60_000 });
    channel.fire("open");
  });

  it("answers every ping with a pong", () => {
    channel.fire("message", JSON.stringify({ type: DataChannelNames.ping.stable, content: {} }));
    expect(channel.sent).toEqual([{ type: DataChannelNames.pong.stable, content: {} }]);
  });

  it("reports a focus that stops pinging for the timeout and not before", () => {
    let timedOut = 0;
    sig.on("pingTimedOut", () => timedOut++);
    clock.advance(50_000);
    channel.fire("message", JSON.stringify({ type: DataChannelNames.ping.stable, content: {} }));
    clock.advance(59_999);
    expect(timedOut).toBe(0);
    clock.advance(1);
    expect(timedOut).toBe(1);
  });

  it("hands a focus offer and its metadata to the listener", () => {
    const got: unknown[] = [];
    sig.on("negotiateReceived", (c) => got.push(c));
    const metadata = {
      s1: { user_id: "@b:hs", device_id: "B", purpose: Values.purposeUsermedia, tracks: {} },
    };
    channel.fire(
      "message",
      JSON.stringify({
        type: DataChannelNames.negotiate.stable,
        content: { description: { type: "offer", sdp: "v=0" }, sdp_stream_metadata: metadata },
      }),
    );
    expect(got).toEqual([
      { description: { type: "offer", sdp: "v=0" }, sdp_stream_metadata: metadata },
    ]);
  });

  it("replies with an error to a message that is not JSON and keeps working", () => {
    channel.fire("message", "{nope");
    const [reply] = channel.sent as { type: string; content: { errcode: string } }[];
    expect(reply?.type).toBe(DataChannelNames.error.stable);
    expect(reply?.content.errcode).toBe(DataChannelErrorCode.notJson);
    channel.fire("message", JSON.stringify({ type: DataChannelNames.ping.stable, content: {} }));
    expect(channel.sent).toHaveLength(2);
  });

  it("does not answer a malformed error reply with another error", () => {
    channel.fire("message", JSON.stringify({ type: DataChannelNames.error.stable, content: {} }));
    expect(channel.sent).toEqual([]);
  });

  it("passes the focus's error replies on without ending anything", () => {
    const errors: unknown[] = [];
    sig.on("focusErrorReceived", (e) => errors.push(e.errcode));
    channel.fire(
      "message",
      JSON.stringify({
        type: DataChannelNames.error.stable,
        content: {
          in_reply_to: "x",
          errcode: DataChannelErrorCode.notFound,
          error: "no such stream",
        },
      }),
    );
    expect(errors).toEqual([DataChannelErrorCode.notFound]);
    expect(sig.open).toBe(true);
  });

  it("does not send before the channel is open", () => {
    const c2 = new FakeChannel();
    const s2 = new DataChannelSignaller({ channel: c2, clock, logger: silentLogger });
    expect(s2.send({ kind: "pong", content: {} })).toBe(false);
    expect(c2.sent).toEqual([]);
  });
});
