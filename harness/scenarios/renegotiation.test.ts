import { DataChannelNames, HangupReason, isName } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { Bot } from "../bots/Bot.ts";
import { useInMemoryFocus } from "./lib/inMemoryFocus.ts";

const negotiation = { answerTimeoutMs: 300, maxReoffers: 2 };
const start = useInMemoryFocus();
const setup = () => start({ negotiation });

async function joinBoth(alice: Bot, bob: Bot): Promise<void> {
  await alice.join();
  await bob.join();
  await Bot.waitFor(() => alice.dataChannelOpen && bob.dataChannelOpen, "data channels open");
  await Bot.waitFor(() => Object.keys(bob.metadata).length === 1, "bob sees alice's stream");
}

function offersReceived(bot: Bot): number {
  return bot.messages.filter(
    (x) =>
      isName(DataChannelNames.negotiate, x.type) &&
      (x.content.description as { type: string }).type === "offer",
  ).length;
}

describe("renegotiation recovery", () => {
  it("offers again after a dropped offer, and the subscription then delivers media", async () => {
    const { m, network } = setup();
    const alice = network.addBot("alice");
    const bob = network.addBot("bob");
    await joinBoth(alice, bob);
    bob.offersToIgnore = 1;
    bob.subscribeAll({ width: 320, height: 180 });
    await Bot.waitFor(
      () => (bob.track(alice.streamId, alice.videoTrackId)?.packets ?? 0) > 10,
      "alice's video reaches bob",
      5000,
    );
    expect(bob.offersIgnored).toBe(1);
    expect(offersReceived(bob)).toBeGreaterThanOrEqual(2);
    expect(m.hasCall(bob.callId)).toBe(true);
  });

  it("hangs up a participant that answers none of the offer and its re-offers", async () => {
    const { m, network } = setup();
    const alice = network.addBot("alice");
    const bob = network.addBot("bob");
    await joinBoth(alice, bob);
    bob.offersToIgnore = 100;
    bob.subscribeAll({ width: 320, height: 180 });
    await Bot.waitFor(() => bob.hangupReason !== undefined, "bob is hung up", 5000);
    expect(bob.hangupReason).toBe(HangupReason.negotiationTimeout);
    expect(bob.offersIgnored).toBe(1 + negotiation.maxReoffers);
    expect(m.hasCall(bob.callId)).toBe(false);
    expect(m.hasCall(alice.callId)).toBe(true);
  });

  it("publishes nothing under an empty stream id when a publisher's answers drop their msid", async () => {
    const { network } = setup();
    const alice = network.addBot("alice");
    const bob = network.addBot("bob");
    alice.answerWithoutMsid = true;
    await joinBoth(alice, bob);
    // alice's subscription renegotiates her connection; her answer names no msid
    alice.subscribeAll({ width: 320, height: 180 });
    bob.subscribeAll({ width: 320, height: 180 });
    await Bot.waitFor(
      () =>
        (alice.track(bob.streamId, bob.videoTrackId)?.packets ?? 0) > 30 &&
        (bob.track(alice.streamId, alice.videoTrackId)?.packets ?? 0) > 30,
      "each receives the other's video",
      5000,
    );
    expect(Object.keys(bob.metadata)).toEqual([alice.streamId]);
    expect(Object.keys(alice.metadata)).toEqual([bob.streamId]);
  });
});
