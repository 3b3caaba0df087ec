import { DataChannelErrorCode, DataChannelNames, Values } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { Bot } from "../bots/Bot.ts";
import { testConference, useInMemoryFocus } from "./lib/inMemoryFocus.ts";

const conference = testConference;
const start = useInMemoryFocus();

function setup(
  keepAlive?: { pingIntervalMs: number; pongTimeoutMs: number },
  media?: { layerTimeoutMs: number },
) {
  return start({ ...(keepAlive ? { keepAlive } : {}), ...(media ? { media } : {}) });
}

/** Header extension ids used for two URIs (or one URI with two ids) within one SDP. */
function extmapClashes(sdp: string): string[] {
  const byId = new Map<string, string>();
  const byUri = new Map<string, string>();
  const clashes: string[] = [];
  for (const m of sdp.matchAll(/a=extmap:(\d+)\S* (\S+)/g)) {
    const [, id = "", uri = ""] = m;
    if ((byId.get(id) ?? uri) !== uri || (byUri.get(uri) ?? id) !== id)
      clashes.push(`${id} ${uri}`);
    byId.set(id, uri);
    byUri.set(uri, id);
  }
  return clashes;
}

async function joinAll(bots: Bot[]): Promise<void> {
  for (const b of bots) await b.join();
  await Bot.waitFor(() => bots.every((b) => b.dataChannelOpen), "data channels open");
  const others = bots.length - 1;
  await Bot.waitFor(
    () => bots.every((b) => Object.keys(b.metadata).length === others),
    "every bot sees every other bot's stream",
  );
}

describe("forwarding through the focus", () => {
  it("three bots subscribe to each other and receive audio and video in order with continuous sequence numbers", async () => {
    const { m, network } = setup();
    const bots = ["alice", "bob", "carol"].map((n) => network.addBot(n));
    await joinAll(bots);
    for (const b of bots) b.subscribeAll({ width: 320, height: 180 }, "sub1");
    await Bot.waitFor(
      () =>
        bots.every(
          (b) => b.received.size === 4 && [...b.received.values()].every((t) => t.packets >= 20),
        ),
      "every bot receives 2 audio + 2 video tracks",
      15_000,
    );
    for (const b of bots) {
      for (const other of bots.filter((x) => x !== b)) {
        const audio = b.track(other.streamId, other.audioTrackId);
        const video = b.track(other.streamId, other.videoTrackId);
        expect(audio?.kind).toBe("audio");
        expect(video?.keyframes).toBeGreaterThanOrEqual(1);
        for (const t of [audio, video]) {
          expect(t?.sequenceGaps).toBe(0);
          expect(t?.outOfOrder).toBe(0);
          expect(t?.ssrcs.size).toBe(1);
        }
      }
      expect(
        b.messages.some(
          (x) => x.type === DataChannelNames.ack.stable && x.content.txn_id === "sub1",
        ),
      ).toBe(true);
    }
    const offers = bots.flatMap((b) =>
      b.messages
        .filter((x) => (x.content.description as { type?: string } | undefined)?.type === "offer")
        .map((x) => (x.content.description as { sdp: string }).sdp),
    );
    expect(offers.length).toBeGreaterThan(0);
    for (const sdp of offers) expect(extmapClashes(sdp)).toEqual([]);
    const meta = bots[0]?.metadata[bots[1]?.streamId ?? ""];
    expect(meta).toMatchObject({ user_id: "@bob:localhost", device_id: "BOBDEV" });
    const stats = m.stats();
    expect(stats).toMatchObject({
      conferences: 1,
      participants: 3,
      publishedTracks: 6,
      subscriptions: 12,
    });
    expect(stats.packetsOut).toBeGreaterThan(0);
    expect(network.invalidFromFocus).toEqual([]);
  });

  it("announces a track's full size again when a larger layer's keyframes tell it", async () => {
    const { network } = setup();
    const alice = network.addBot("alice", { audio: false, video: false });
    const bob = network.addBot("bob", { pausedLayers: ["f"] });
    for (const b of [alice, bob]) await b.join();
    await Bot.waitFor(
      () => alice.dataChannelOpen && alice.metadata[bob.streamId] !== undefined,
      "alice sees bob's stream",
    );
    alice.subscribe([
      { stream_id: bob.streamId, track_id: bob.videoTrackId, width: 640, height: 360 },
    ]);
    await Bot.waitFor(
      () => alice.track(bob.streamId, bob.videoTrackId)?.lastKeyframeWidth === 640,
      "bob's half layer arrives (the focus knows its size)",
    );
    // an announcement while only the half and quarter layers are known
    const carol = network.addBot("carol", { audio: false });
    await carol.join();
    await Bot.waitFor(
      () => alice.metadata[bob.streamId]?.tracks?.[bob.videoTrackId]?.width === 640,
      "bob's size as known so far (640x360) in alice's metadata",
    );
    bob.setLayerPaused("f", false);
    await Bot.waitFor(
      () => alice.metadata[bob.streamId]?.tracks?.[bob.videoTrackId]?.width === 1280,
      "bob's full size (1280x720) in alice's metadata once the full layer arrives",
    );
    expect(alice.metadata[bob.streamId]?.tracks?.[bob.videoTrackId]).toMatchObject({
      width: 1280,
      height: 720,
    });
  });

  it("sends an answer the deployed client accepts: device_id, session ids and gap-free seq from 0", async () => {
    const { network } = setup();
    const alice = network.addBot("alice");
    await alice.join();
    await Bot.waitFor(() => alice.dataChannelOpen, "data channel open");
    const toAlice = network.fromFocus
      .filter((e) => e.to.deviceId === "ALICEDEV")
      .map((e) => e.event);
    const answer = toAlice.find((e) => e.kind === "answer");
    expect(answer?.content).toMatchObject({
      device_id: "FOCUSDEV",
      party_id: "FOCUSDEV",
      dest_session_id: alice.sessionId,
      call_id: alice.callId,
      conf_id: "conf1",
      version: "1",
    });
    expect(toAlice.map((e) => e.content.seq)).toEqual(toAlice.map((_, i) => i));
    expect(toAlice[0]?.kind).toBe("answer");
  });

  it("switches to the layer that fits a resized view on a keyframe, keeping one continuous stream", async () => {
    const { m, network } = setup();
    const alice = network.addBot("alice");
    const bob = network.addBot("bob");
    await joinAll([alice, bob]);
    const item = { stream_id: bob.streamId, track_id: bob.videoTrackId };
    alice.subscribe([{ ...item, width: 300, height: 170 }]);
    await Bot.waitFor(
      () => (alice.track(bob.streamId, bob.videoTrackId)?.packets ?? 0) > 10,
      "small video arrives",
    );
    const video = alice.track(bob.streamId, bob.videoTrackId);
    expect(video?.lastKeyframeWidth).toBe(320);
    alice.subscribe([{ ...item, width: 1280, height: 720 }]);
    await Bot.waitFor(
      () => video?.lastKeyframeWidth === 1280,
      "full-size keyframe arrives after the resize",
    );
    const before = video?.packets ?? 0;
    await Bot.waitFor(() => (video?.packets ?? 0) > before + 20, "full-size video keeps flowing");
    expect(video?.sequenceGaps).toBe(0);
    expect(video?.outOfOrder).toBe(0);
    expect(video?.pictureIdJumps).toBe(0);
    expect(video?.ssrcs.size).toBe(1);
    expect(m.stats().layerSwitches).toBeGreaterThanOrEqual(1);
  });

  it("stops sending a track once it is unsubscribed", async () => {
    const { network } = setup();
    const alice = network.addBot("alice");
    const bob = network.addBot("bob");
    await joinAll([alice, bob]);
    alice.subscribeAll({ width: 320, height: 180 });
    await Bot.waitFor(
      () => (alice.track(bob.streamId, bob.audioTrackId)?.packets ?? 0) > 10,
      "audio arrives",
    );
    alice.unsubscribe([{ stream_id: bob.streamId, track_id: bob.audioTrackId }], "unsub");
    await Bot.waitFor(
      () => alice.messages.some((x) => x.content.txn_id === "unsub"),
      "unsubscribe acked",
    );
    await new Promise((r) => setTimeout(r, 200));
    const audio = alice.track(bob.streamId, bob.audioTrackId);
    const video = alice.track(bob.streamId, bob.videoTrackId);
    const [a0, v0] = [audio?.packets ?? 0, video?.packets ?? 0];
    await new Promise((r) => setTimeout(r, 600));
    expect(audio?.packets).toBe(a0);
    expect(video?.packets ?? 0).toBeGreaterThan(v0);
  });

  it("answers malformed and unknown data-channel messages with errors and keeps the call going", async () => {
    const { m, network } = setup();
    const alice = network.addBot("alice");
    const bob = network.addBot("bob");
    await joinAll([alice, bob]);
    alice.sendRaw("{not json");
    alice.sendMessage({ type: "org.example.unknown", content: {}, txn_id: "u1" });
    alice.subscribe(
      [
        { stream_id: "nope", track_id: "nope" },
        { stream_id: bob.streamId, track_id: bob.audioTrackId },
      ],
      "s1",
    );
    alice.subscribe(
      Array.from({ length: 201 }, (_, i) => ({ stream_id: `s${i}`, track_id: "t" })),
      "big",
    );
    const errors = () => alice.messages.filter((x) => x.type === DataChannelNames.error.stable);
    await Bot.waitFor(() => errors().length >= 4, "four error replies");
    const byTxn = (t: string) => errors().find((e) => e.content.txn_id === t)?.content;
    expect(errors()[0]?.content).toMatchObject({
      errcode: DataChannelErrorCode.notJson,
      in_reply_to: null,
    });
    expect(byTxn("u1")).toMatchObject({
      errcode: DataChannelErrorCode.unrecognized,
      in_reply_to: "org.example.unknown",
    });
    expect(byTxn("s1")).toMatchObject({ errcode: DataChannelErrorCode.notFound });
    expect(String(byTxn("s1")?.error)).toContain("nope/nope");
    expect(byTxn("big")).toMatchObject({ errcode: DataChannelErrorCode.limitExceeded });
    await Bot.waitFor(
      () => (alice.track(bob.streamId, bob.audioTrackId)?.packets ?? 0) > 10,
      "the valid item was applied",
    );
    expect(m.hasCall(alice.callId)).toBe(true);
  });

  it("hangs up with keep_alive_timeout on a participant that stops answering pings", async () => {
    const { m, network } = setup({ pingIntervalMs: 200, pongTimeoutMs: 700 });
    const alice = network.addBot("alice");
    const bob = network.addBot("bob", { answerPings: false });
    await joinAll([alice, bob]);
    await Bot.waitFor(() => bob.hangupReason !== undefined, "bob is hung up", 5000);
    expect(bob.hangupReason).toBe("keep_alive_timeout");
    expect(m.hasCall(bob.callId)).toBe(false);
    expect(m.hasCall(alice.callId)).toBe(true);
    await Bot.waitFor(
      () => Object.keys(alice.metadata).length === 0,
      "bob's stream leaves alice's metadata",
    );
  });

  it("replaces the old call of a device that calls again, and ends a call the caller hangs up", async () => {
    const { m, network } = setup();
    const alice = network.addBot("alice");
    const bob = network.addBot("bob");
    await joinAll([alice, bob]);
    const bobAgain = network.addBot("bob");
    await bobAgain.join();
    await Bot.waitFor(
      () => m.hasCall(bobAgain.callId) && !m.hasCall(bob.callId),
      "the new call replaced the old one",
    );
    const hangup = network.fromFocus.find(
      (e) => e.event.kind === "hangup" && e.event.content.call_id === bob.callId,
    );
    expect(hangup?.event.content).toMatchObject({ reason: "replaced" });
    await Bot.waitFor(
      () =>
        alice.metadata[bobAgain.streamId] !== undefined &&
        alice.metadata[bob.streamId] === undefined,
      "alice sees only bob's new stream",
    );
    await bobAgain.hangup();
    await Bot.waitFor(() => !m.hasCall(bobAgain.callId), "the hung-up call is gone");
    await Bot.waitFor(
      () => Object.keys(alice.metadata).length === 0,
      "bob's stream leaves alice's metadata",
    );
    expect(m.stats().participants).toBe(1);
    await bob.close();
  });

  it("replaces a layer that stops arriving with the next one, and goes back when it returns", async () => {
    const { network } = setup(undefined, { layerTimeoutMs: 300 });
    const alice = network.addBot("alice");
    const bob = network.addBot("bob");
    await joinAll([alice, bob]);
    alice.subscribe([
      { stream_id: bob.streamId, track_id: bob.videoTrackId, width: 1280, height: 720 },
    ]);
    await Bot.waitFor(
      () => alice.track(bob.streamId, bob.videoTrackId)?.lastKeyframeWidth === 1280,
      "full layer arrives",
    );
    const video = alice.track(bob.streamId, bob.videoTrackId);
    bob.setLayerPaused("f", true);
    await Bot.waitFor(
      () => video?.lastKeyframeWidth === 640,
      "half layer replaces the stopped full layer",
    );
    bob.setLayerPaused("f", false);
    await Bot.waitFor(
      () => video?.lastKeyframeWidth === 1280,
      "full layer is used again once it returns",
    );
    expect(video?.sequenceGaps).toBe(0);
    expect(video?.pictureIdJumps).toBe(0);
  });

  it.each([
    { how: "the original packet", rtxRetransmissions: false },
    { how: "RTX on its own SSRC, as Chrome does", rtxRetransmissions: true },
  ])(
    "recovers packets lost between publisher and focus by NACKing them upstream (resent as $how)",
    async ({ rtxRetransmissions }) => {
      const { m, network } = setup();
      const alice = network.addBot("alice");
      const bob = network.addBot("bob", { videoLoss: 0.05, rtxRetransmissions });
      await joinAll([alice, bob]);
      alice.subscribe([
        { stream_id: bob.streamId, track_id: bob.videoTrackId, width: 1280, height: 720 },
      ]);
      await Bot.waitFor(
        () => (alice.track(bob.streamId, bob.videoTrackId)?.packets ?? 0) > 300,
        "video arrives",
        20_000,
      );
      for (const rid of ["q", "h", "f"]) bob.setLayerPaused(rid, true);
      await new Promise((r) => setTimeout(r, 300));
      const video = alice.track(bob.streamId, bob.videoTrackId);
      expect(bob.videoDropped).toBeGreaterThan(5);
      expect(bob.videoResent).toBeGreaterThan(0);
      expect(m.stats().nacksSent).toBeGreaterThan(0);
      expect(video?.missing).toBe(0);
    },
  );

  it("ends a publication the publisher stops sending, and its subscribers' subscriptions", async () => {
    const { m, network } = setup();
    const alice = network.addBot("alice");
    const bob = network.addBot("bob");
    await joinAll([alice, bob]);
    alice.subscribeAll({ width: 320, height: 180 });
    await Bot.waitFor(
      () => (alice.track(bob.streamId, bob.videoTrackId)?.packets ?? 0) > 5,
      "video arrives",
    );
    await bob.stopVideo();
    await Bot.waitFor(
      () => alice.metadata[bob.streamId]?.tracks?.[bob.videoTrackId] === undefined,
      "bob's video leaves alice's metadata",
    );
    expect(alice.metadata[bob.streamId]?.tracks?.[bob.audioTrackId]).toMatchObject({
      kind: "audio",
    });
    await Bot.waitFor(
      () => m.stats().subscriptions === 1,
      "alice keeps only the audio subscription",
    );
    expect(m.stats().publishedTracks).toBe(3);
  });

  it("hangs up a device whose membership ended, and drops a call whose caller selected another party", async () => {
    const { m, network } = setup();
    const alice = network.addBot("alice");
    const bob = network.addBot("bob");
    await joinAll([alice, bob]);
    m.handle({ kind: "memberLeft", conference, member: alice.user });
    await Bot.waitFor(() => !m.hasCall(alice.callId), "alice's call ends");
    await Bot.waitFor(() => alice.hangupReason !== undefined, "alice is told");
    const sent = network.fromFocus.length;
    m.handle({
      kind: "callEventReceived",
      conference,
      sender: bob.user,
      event: {
        kind: "selectAnswer",
        content: {
          call_id: bob.callId,
          conf_id: conference.confId,
          party_id: bob.user.deviceId,
          version: Values.callVersion,
          device_id: bob.user.deviceId,
          sender_session_id: bob.sessionId,
          dest_session_id: "",
          selected_party_id: "SOMEONEELSE",
        },
      },
    });
    await Bot.waitFor(() => !m.hasCall(bob.callId), "bob's call is dropped");
    expect(network.fromFocus.slice(sent).some((e) => e.event.kind === "hangup")).toBe(false);
    expect(m.stats().conferences).toBe(0);
  });
});
