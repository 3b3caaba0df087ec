// RTCP between the focus and its participants: subscriber NACKs and PLIs, and the sender and
// receiver reports the focus writes. A ConferenceManager with werift bots in one process.
import { type Clock, type ConferenceManagerOptions, FakeClock } from "@matrix-focus/focus";
import { describe, expect, it } from "vitest";
import { Bot } from "../bots/Bot.ts";
import { useInMemoryFocus } from "./lib/inMemoryFocus.ts";

const start = useInMemoryFocus();

function setup(media?: ConferenceManagerOptions["media"], clock?: Clock) {
  return start({ ...(media ? { media } : {}), ...(clock ? { clock } : {}) });
}

/** Joins a subscriber and a publisher; resolves once the subscriber knows the publisher's stream. */
async function joinPair(subscriber: Bot, publisher: Bot): Promise<void> {
  await subscriber.join();
  await publisher.join();
  await Bot.waitFor(
    () => subscriber.dataChannelOpen && subscriber.metadata[publisher.streamId] !== undefined,
    "the subscriber is told about the publisher's stream",
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `value()` has not changed for `quietMs`. */
async function settled(value: () => number, quietMs: number, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = value();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > end) throw new Error("value kept changing");
    await sleep(50);
    if (value() !== last) {
      last = value();
      since = Date.now();
    }
  }
}

describe("RTCP between the focus and its participants", () => {
  it.each([
    { how: "the original packet", rtx: false },
    { how: "RTX", rtx: true },
  ])(
    "answers a subscriber's NACKs with the packets it dropped (resent as $how)",
    async ({ rtx }) => {
      const { m, network } = setup();
      const alice = network.addBot("alice", {
        audio: false,
        video: false,
        dropReceivedVideo: 0.1,
        rtxRetransmissions: rtx,
      });
      const bob = network.addBot("bob", { audio: false });
      await joinPair(alice, bob);
      alice.subscribe([
        { stream_id: bob.streamId, track_id: bob.videoTrackId, width: 640, height: 360 },
      ]);
      const video = () => alice.track(bob.streamId, bob.videoTrackId);
      await Bot.waitFor(() => (video()?.packets ?? 0) > 0, "video arrives", 15_000);
      await Bot.waitFor(() => (video()?.dropped ?? 0) >= 10, "ten packets dropped", 15_000);
      for (const rid of ["q", "h", "f"]) bob.setLayerPaused(rid, true);
      await sleep(500);
      const v = video();
      expect(m.stats().nacksReceived).toBeGreaterThanOrEqual(v?.dropped ?? 0);
      expect(v?.recovered).toBe(v?.dropped);
      expect(v?.missing).toBe(0);
      if (rtx) expect(alice.rtxReceived).toBeGreaterThanOrEqual(v?.recovered ?? 0);
      else expect(alice.rtxReceived).toBe(0);
    },
  );

  it("passes a subscriber's keyframe request on to the publisher, at most one per layer per throttle interval", async () => {
    // the focus's time stands still unless advanced: only the throttle decides, not the
    // machine's load (which could also stop a layer and cause a switch and its own PLI)
    const clock = new FakeClock(Date.now());
    // no request sooner than the interval, also after a keyframe answered the last one
    const { network } = setup({ pliThrottleMs: 1_500, pliMinGapMs: 1_500 }, clock);
    const alice = network.addBot("alice", { audio: false, video: false });
    const bob = network.addBot("bob", { audio: false });
    await joinPair(alice, bob);
    alice.subscribe([
      { stream_id: bob.streamId, track_id: bob.videoTrackId, width: 320, height: 180 },
    ]);
    const video = () => alice.track(bob.streamId, bob.videoTrackId);
    await Bot.waitFor(() => (video()?.keyframes ?? 0) >= 1, "a keyframe arrives");
    // the subscription's own keyframe requests are over
    await settled(() => bob.plisReceived, 500);
    clock.advance(1_500);
    const before = bob.plisReceived;
    const keyframes = video()?.keyframes ?? 0;
    expect(alice.requestKeyframe(bob.streamId, bob.videoTrackId)).toBe(true);
    await Bot.waitFor(() => bob.plisReceived > before, "the publisher gets a PLI", 5_000);
    await Bot.waitFor(() => (video()?.keyframes ?? 0) > keyframes, "a new keyframe arrives");
    clock.advance(1_499);
    for (let i = 0; i < 5; i++) alice.requestKeyframe(bob.streamId, bob.videoTrackId);
    await sleep(600);
    expect(bob.plisReceived).toBe(before + 1);
    clock.advance(1);
    alice.requestKeyframe(bob.streamId, bob.videoTrackId);
    await Bot.waitFor(() => bob.plisReceived === before + 2, "a PLI once the interval is over");
  });

  it("sends subscribers sender reports that match the forwarded stream, and publishers receiver reports", async () => {
    const { network } = setup();
    const alice = network.addBot("alice", { audio: false, video: false });
    const bob = network.addBot("bob");
    await joinPair(alice, bob);
    alice.subscribe([
      { stream_id: bob.streamId, track_id: bob.videoTrackId, width: 320, height: 180 },
      { stream_id: bob.streamId, track_id: bob.audioTrackId },
    ]);
    const video = () => alice.track(bob.streamId, bob.videoTrackId);
    const audio = () => alice.track(bob.streamId, bob.audioTrackId);
    const reportsOf = (ssrc: number | undefined) =>
      alice.rtcp.senderReports.filter((r) => r.ssrc === ssrc);
    await Bot.waitFor(
      () => reportsOf(video()?.lastSsrc).length >= 3 && reportsOf(audio()?.lastSsrc).length >= 2,
      "sender reports for the forwarded video and audio",
      15_000,
    );
    for (const [track, clockRate] of [
      [video(), 90_000],
      [audio(), 48_000],
    ] as const) {
      const srs = reportsOf(track?.lastSsrc);
      for (const sr of srs) {
        // NTP time: the focus's wall clock (same machine; loose for a loaded machine)
        expect(Math.abs(sr.ntpMs - sr.receivedAtMs), "NTP time vs arrival").toBeLessThan(2_000);
        expect(sr.packetCount).toBeGreaterThan(0);
        expect(sr.octetCount).toBeGreaterThan(sr.packetCount);
      }
      // RTP and NTP timestamps advance together
      for (let i = 1; i < srs.length; i++) {
        const a = srs[i - 1];
        const b = srs[i];
        if (!a || !b) continue;
        const rtpMs = (((b.rtpTimestamp - a.rtpTimestamp) >>> 0) / clockRate) * 1000;
        const ntpMs = b.ntpMs - a.ntpMs;
        // the bots' timers run late on a loaded machine: allow a quarter of the interval
        expect(Math.abs(rtpMs - ntpMs), `RTP ${rtpMs} ms vs NTP ${ntpMs} ms`).toBeLessThan(
          Math.max(250, ntpMs / 4),
        );
        expect(b.packetCount).toBeGreaterThan(a.packetCount);
      }
    }
    // once the publisher stops, the counts equal what the subscriber received
    for (const rid of ["q", "h", "f"]) bob.setLayerPaused(rid, true);
    const pausedAt = Date.now();
    await Bot.waitFor(
      () => reportsOf(video()?.lastSsrc).some((r) => r.receivedAtMs > pausedAt + 300),
      "a sender report after the video stopped",
      5_000,
    );
    const last = reportsOf(video()?.lastSsrc).at(-1);
    expect(last?.packetCount).toBe(video()?.packets);
    expect(last?.octetCount).toBe(video()?.bytes);
    expect(last?.rtpTimestamp).toBe(video()?.lastTimestamp);

    // receiver reports toward the publisher: one block per stream it sends, no loss
    const sent = bob.sentStreams.filter((s) => s.kind === "audio" || s.rid === "q");
    for (const s of sent) {
      const blocks = bob.rtcp.reportBlocks.filter((b) => b.ssrc === s.ssrc);
      expect(blocks.length, `receiver reports for ${s.kind} ${s.rid}`).toBeGreaterThan(0);
      const b = blocks.at(-1);
      expect(b?.fractionLost).toBe(0);
      expect(b?.packetsLost).toBe(0);
      const behind = ((s.nextSeq - 1 - ((b?.highestSequence ?? 0) & 0xffff)) & 0xffff) as number;
      expect(behind).toBeLessThan(200);
    }
  }, 40_000);
});
