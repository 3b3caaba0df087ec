// A Participant's renegotiation against a werift peer standing in for the device (SDP only:
// no ICE or media is needed to see which subscriptions start forwarding when).
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { RTCPeerConnection } from "werift";
import { mediaOptions } from "../media/defaults.ts";
import { TrackReceiver } from "../media/forwarding/TrackReceiver.ts";
import { newMediaCounters } from "../media/MediaCounters.ts";
import { FakeClock } from "../util/Clock.ts";
import type { CallSender } from "./CallSender.ts";
import { keepAliveDefaults, negotiationDefaults } from "./defaults.ts";
import { Participant } from "./Participant.ts";
import { type Publication, publicationKey } from "./Publication.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

function publication(clock: FakeClock, streamId: string): Publication {
  const receiver = new TrackReceiver({
    kind: "video",
    streamId,
    trackId: `${streamId}-video`,
    clock,
    media: mediaOptions(),
    counters: newMediaCounters(),
    appData: undefined,
  });
  closers.push(async () => receiver.close());
  return {
    key: publicationKey(streamId, `${streamId}-video`),
    streamId,
    trackId: `${streamId}-video`,
    kind: "video",
    owner: { userId: "@owner:x", deviceId: streamId },
    ownerCallId: `call-${streamId}`,
    receiver,
  };
}

/** A participant whose invite a werift peer placed; returns both and the focus's offers. */
async function connectedPair() {
  const clock = new FakeClock(Date.now());
  const offers: string[] = [];
  let answer = "";
  // the focus's offers are read from its debug log (there is no data channel in this test)
  const logStream = new Writable({
    write(chunk, _enc, done) {
      const line = JSON.parse(chunk.toString()) as { type?: string; sdp?: string };
      if (line.type === "offer" && line.sdp) offers.push(line.sdp);
      done();
    },
  });
  const sender = {
    send: async (kind: string, content: { answer?: { sdp: string } }) => {
      if (kind === "answer" && content.answer) answer = content.answer.sdp;
    },
  } as unknown as CallSender;
  const p = new Participant({
    device: { userId: "@alice:x", deviceId: "ALICE" },
    callId: "call-alice",
    partyId: "ALICE",
    sender,
    clock,
    media: mediaOptions(),
    keepAlive: keepAliveDefaults,
    negotiation: negotiationDefaults,
    connectTimeoutMs: 30_000,
    counters: newMediaCounters(),
    logger: pino({ level: "debug" }, logStream),
    input: () => {},
    subscribable: () => ({}),
  });
  const device = new RTCPeerConnection({ iceServers: [] });
  closers.push(async () => {
    await p.close();
    await device.close();
  });
  device.createDataChannel("m.call");
  await device.setLocalDescription(await device.createOffer());
  await p.answerInvite(device.localDescription?.sdp ?? "", {});
  await device.setRemoteDescription({ type: "answer", sdp: answer });
  await p.channelOpened();
  /** The device answers the focus's offer number `n` (from 1). */
  const answerOffer = async (n: number) => {
    await waitFor(() => offers.length >= n);
    await device.setRemoteDescription({ type: "offer", sdp: offers[n - 1] ?? "" });
    await device.setLocalDescription(await device.createAnswer());
    return p.answerReceived(device.localDescription?.sdp ?? "");
  };
  return { clock, p, offers, answerOffer };
}

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error("condition not met in time");
}

describe("Participant", () => {
  it("starts a subscription made while an offer is in flight only once an offer with its m-line is answered", async () => {
    const { clock, p, offers, answerOffer } = await connectedPair();
    const bob = publication(clock, "bob");
    const carol = publication(clock, "carol");
    p.subscribe(bob, {});
    await waitFor(() => offers.length === 1);
    p.subscribe(carol, {});
    const started = (pub: Publication) => p.subscriptions.get(pub.key)?.sender.started;
    expect(await answerOffer(1)).toBe(true);
    expect(started(bob)).toBe(true);
    expect(started(carol)).toBe(false);
    expect(await answerOffer(2)).toBe(true);
    expect(started(carol)).toBe(true);
  });

  it("offers the tracks of one subscription message in one offer and starts them all on its answer", async () => {
    const { clock, p, offers, answerOffer } = await connectedPair();
    const pubs = [publication(clock, "bob"), publication(clock, "carol")];
    for (const pub of pubs) p.subscribe(pub, {});
    expect(await answerOffer(1)).toBe(true);
    for (const pub of pubs) expect(p.subscriptions.get(pub.key)?.sender.started).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(offers).toHaveLength(1);
  });
});
