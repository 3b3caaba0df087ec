// How the focus sets a call up when ICE goes wrong or candidates come early: a ConferenceManager
// with werift bots in one process, signalling routed in memory (BotNetwork).

import { type Clock, FakeClock } from "@matrix-focus/focus";
import { type CallEvent, HangupReason } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { Bot } from "../bots/Bot.ts";
import type { BotNetwork } from "../bots/BotNetwork.ts";
import { useInMemoryFocus } from "./lib/inMemoryFocus.ts";

const start = useInMemoryFocus();

function setup(
  o: {
    clock?: Clock;
    connectTimeoutMs?: number;
    keepAlive?: { pingIntervalMs: number; pongTimeoutMs: number };
    /** Called with each event before the focus gets it. */
    beforeDelivery?: (event: CallEvent) => void;
  } = {},
) {
  return start(
    {
      ...(o.clock ? { clock: o.clock } : {}),
      ...(o.keepAlive ? { keepAlive: o.keepAlive } : {}),
      ...(o.connectTimeoutMs ? { limits: { connectTimeoutMs: o.connectTimeoutMs } } : {}),
    },
    o.beforeDelivery,
  );
}

function answered(network: BotNetwork, bot: Bot): boolean {
  return network.fromFocus.some(
    (x) => x.event.kind === "answer" && x.event.content.call_id === bot.callId,
  );
}

function hangupsTo(network: BotNetwork, bot: Bot): CallEvent[] {
  return network.fromFocus
    .map((x) => x.event)
    .filter((e) => e.kind === "hangup" && e.content.call_id === bot.callId);
}

describe("setting up a call", () => {
  it("hangs up with ice_timeout on a call that gets its answer but never does ICE", async () => {
    const clock = new FakeClock(Date.now());
    const { m, network } = setup({ clock, connectTimeoutMs: 5_000 });
    const alice = network.addBot("alice", { candidates: "never", useFocusCandidates: false });
    await alice.join();
    await Bot.waitFor(() => answered(network, alice), "the focus answers");
    await m.idle();
    await new Promise((r) => setTimeout(r, 500));
    expect(alice.connectionState).not.toBe("connected");
    clock.advance(4_900);
    await m.idle();
    expect(m.hasCall(alice.callId)).toBe(true);
    expect(hangupsTo(network, alice)).toEqual([]);
    clock.advance(100);
    await Bot.waitFor(() => alice.hangupReason !== undefined, "the focus hangs up");
    expect(alice.hangupReason).toBe(HangupReason.iceTimeout);
    expect(hangupsTo(network, alice)).toHaveLength(1);
    expect(m.hasCall(alice.callId)).toBe(false);
    expect(m.stats()).toMatchObject({ conferences: 0, participants: 0 });
  });

  it("hangs up with ice_failed on a connected call whose device goes silent", async () => {
    // werift reports "failed" when ICE consent expires (30 s, RFC 7675); the keep-alive is
    // made longer so that it does not end the call first
    const { m, network } = setup({ keepAlive: { pingIntervalMs: 10_000, pongTimeoutMs: 120_000 } });
    const alice = network.addBot("alice", { video: false });
    await alice.join();
    await Bot.waitFor(() => alice.dataChannelOpen, "the call connects");
    alice.vanish();
    await Bot.waitFor(() => hangupsTo(network, alice).length > 0, "the focus hangs up", 45_000);
    expect(hangupsTo(network, alice)[0]?.content).toMatchObject({ reason: HangupReason.iceFailed });
    expect(m.hasCall(alice.callId)).toBe(false);
    expect(m.stats().participants).toBe(0);
  }, 60_000);

  it("uses candidates that arrive right after the invite, before the focus has answered", async () => {
    const { m, network } = setup();
    // the bot ignores the focus's candidates: only the focus can start the connectivity checks
    const alice = network.addBot("alice", { candidates: "withInvite", useFocusCandidates: false });
    await alice.join();
    expect(answered(network, alice)).toBe(false);
    await Bot.waitFor(() => alice.dataChannelOpen, "the call connects");
    expect(alice.connectionState).toBe("connected");
    expect(m.hasCall(alice.callId)).toBe(true);
  });

  it("keeps candidates that arrive before their invite and uses them once it arrives", async () => {
    const { m, network } = setup();
    const bob = network.addBot("bob");
    await bob.join();
    await Bot.waitFor(() => bob.dataChannelOpen, "bob connects");
    const alice = network.addBot("alice", {
      candidates: "beforeInvite",
      useFocusCandidates: false,
    });
    await alice.join();
    await Bot.waitFor(() => alice.dataChannelOpen, "the call connects");
    expect(m.hasCall(alice.callId)).toBe(true);
  });

  it("keeps candidates that arrive before the invite of a conference's first call", async () => {
    const { m, network } = setup();
    const alice = network.addBot("alice", {
      candidates: "beforeInvite",
      useFocusCandidates: false,
    });
    await alice.join();
    await Bot.waitFor(() => alice.dataChannelOpen, "the call connects");
    expect(m.hasCall(alice.callId)).toBe(true);
  });

  it("forgets candidates that waited for their invite longer than earlyCandidatesTtlMs", async () => {
    const clock = new FakeClock(Date.now());
    const { m, network } = setup({
      clock,
      beforeDelivery: (event) => {
        if (event.kind === "invite") clock.advance(30_001);
      },
    });
    const alice = network.addBot("alice", {
      candidates: "beforeInvite",
      useFocusCandidates: false,
    });
    await alice.join();
    await Bot.waitFor(() => answered(network, alice), "the focus answers");
    await new Promise((r) => setTimeout(r, 1_500));
    expect(alice.connectionState).not.toBe("connected");
    expect(m.hasCall(alice.callId)).toBe(true);
  });
});
