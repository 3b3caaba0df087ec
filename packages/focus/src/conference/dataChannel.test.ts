import {
  DataChannelErrorCode,
  type DataChannelMessage,
  DataChannelNames,
  Values,
} from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import {
  type DataChannelContext,
  type DataChannelParticipant,
  handleDataChannelMessage,
} from "./dataChannel.ts";
import { limitDefaults } from "./defaults.ts";
import type { Publication } from "./Publication.ts";

const sub = DataChannelNames.trackSubscription.stable;

function setup() {
  const sent: DataChannelMessage[] = [];
  const subscribed: string[] = [];
  const log: string[] = [];
  const pub = { key: "s\u0000t", streamId: "s", trackId: "t", ownerCallId: "other" } as Publication;
  const own = {
    key: "mine\u0000t",
    streamId: "mine",
    trackId: "t",
    ownerCallId: "call1",
  } as Publication;
  const p: DataChannelParticipant = {
    callId: "call1",
    sendData: (m) => {
      sent.push(m);
      return true;
    },
    subscribe: (x, want) => {
      subscribed.push(`${x.streamId}/${x.trackId}@${want.width ?? "-"}`);
      return true;
    },
    unsubscribe: (key) => {
      log.push(`unsubscribe ${key.replace("\u0000", "/")}`);
      return key === pub.key;
    },
    offerReceived: async (sdp) => {
      log.push(`offer ${sdp}`);
    },
    answerReceived: async (sdp) => {
      log.push(`answer ${sdp}`);
      return sdp === "expected";
    },
    pongReceived: () => log.push("pong"),
  };
  const ctx: DataChannelContext = {
    limits: { ...limitDefaults, maxSubscriptionItems: 3 },
    publication: (s, t) => [pub, own].find((x) => x.streamId === s && x.trackId === t),
    ownMetadataChanged: (_p, m) => log.push(`metadata ${Object.keys(m).join(",")}`),
    offerApplied: () => log.push("offer applied"),
  };
  const handle = (msg: unknown) =>
    handleDataChannelMessage(ctx, p, typeof msg === "string" ? msg : JSON.stringify(msg));
  return { sent, subscribed, log, handle };
}

describe("data-channel handling", () => {
  it.each([
    { name: "non-JSON text", raw: "{oops", errcode: DataChannelErrorCode.notJson, inReplyTo: null },
    {
      name: "an envelope without content",
      raw: JSON.stringify({ type: sub }),
      errcode: DataChannelErrorCode.badJson,
      inReplyTo: sub,
    },
    {
      name: "an unknown type",
      raw: JSON.stringify({ type: "x.y", content: {}, txn_id: "7" }),
      errcode: DataChannelErrorCode.unrecognized,
      inReplyTo: "x.y",
    },
    { name: "a JSON array", raw: "[]", errcode: DataChannelErrorCode.badJson, inReplyTo: null },
  ])("answers $name with an error reply and nothing else", async ({ raw, errcode, inReplyTo }) => {
    const { sent, handle } = setup();
    await handle(raw);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: "error", content: { errcode, in_reply_to: inReplyTo } });
  });

  it("applies known subscriptions, lists unknown ones in one error naming the txn_id", async () => {
    const { sent, subscribed, handle } = setup();
    await handle({
      type: sub,
      txn_id: "t1",
      content: {
        subscribe: [
          { stream_id: "s", track_id: "t", width: 320, height: 180 },
          { stream_id: "x", track_id: "y" },
          { stream_id: "mine", track_id: "t" },
        ],
      },
    });
    expect(subscribed).toEqual(["s/t@320"]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      kind: "error",
      content: { txn_id: "t1", errcode: DataChannelErrorCode.notFound },
    });
    expect((sent[0]?.content as { error?: string } | undefined)?.error).toBe(
      "unknown stream/track: x/y, mine/t",
    );
  });

  it("acks a subscription that fully succeeded", async () => {
    const { sent, handle } = setup();
    await handle({
      type: sub,
      txn_id: "ok",
      content: {
        subscribe: [{ stream_id: "s", track_id: "t" }],
        unsubscribe: [{ stream_id: "s", track_id: "t" }],
      },
    });
    expect(sent).toEqual([{ kind: "ack", content: { txn_id: "ok" } }]);
  });

  it("refuses a list over the limit as a whole with M_LIMIT_EXCEEDED", async () => {
    const { sent, subscribed, handle } = setup();
    const items = Array.from({ length: 4 }, () => ({ stream_id: "s", track_id: "t" }));
    await handle({ type: sub, txn_id: "big", content: { subscribe: items } });
    expect(subscribed).toEqual([]);
    expect(sent[0]).toMatchObject({
      kind: "error",
      content: { txn_id: "big", errcode: DataChannelErrorCode.limitExceeded },
    });
  });

  it("passes offers and expected answers on, and refuses an answer nobody asked for", async () => {
    const { sent, log, handle } = setup();
    const neg = DataChannelNames.negotiate.stable;
    await handle({
      type: neg,
      content: {
        description: { type: "offer", sdp: "o" },
        sdp_stream_metadata: { a: { purpose: Values.purposeUsermedia } },
      },
    });
    await handle({
      type: neg,
      txn_id: "a1",
      content: { description: { type: "answer", sdp: "expected" } },
    });
    await handle({
      type: neg,
      txn_id: "a2",
      content: { description: { type: "answer", sdp: "stray" } },
    });
    expect(log).toEqual([
      "metadata a",
      "offer o",
      "offer applied",
      "answer expected",
      "answer stray",
    ]);
    expect(sent.map((m) => m.kind)).toEqual(["ack", "error"]);
  });

  it("records a pong without replying", async () => {
    const { sent, log, handle } = setup();
    await handle({ type: DataChannelNames.pong.stable, content: {} });
    expect(log).toEqual(["pong"]);
    expect(sent).toEqual([]);
  });
});
