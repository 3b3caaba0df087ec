import { describe, expect, it } from "vitest";
import { type NegotiationPeer, Negotiator } from "./Negotiator.ts";

function setup() {
  const log: string[] = [];
  let n = 0;
  const peer: NegotiationPeer = {
    createOffer: async () => {
      log.push("createOffer");
      return `offer${++n}`;
    },
    acceptOffer: async (sdp) => {
      log.push(`acceptOffer ${sdp}`);
      return "answer";
    },
    acceptAnswer: async (sdp) => {
      log.push(`acceptAnswer ${sdp}`);
    },
    rollback: async () => {
      log.push("rollback");
    },
  };
  const neg = new Negotiator(peer, {
    sendDescription: (type, sdp) => log.push(`send ${type} ${sdp}`),
    offerAnswered: () => log.push("answered"),
    failed: (e) => log.push(`failed ${String(e)}`),
  });
  return { log, neg };
}

describe("Negotiator", () => {
  it("waits until enabled before offering", async () => {
    const { log, neg } = setup();
    await neg.negotiationNeeded();
    expect(log).toEqual([]);
    await neg.enable();
    expect(log).toEqual(["createOffer", "send offer offer1"]);
  });

  it("keeps one offer in flight and offers the changes made meanwhile afterwards", async () => {
    const { log, neg } = setup();
    await neg.enable();
    await neg.negotiationNeeded();
    await neg.negotiationNeeded();
    expect(log.filter((l) => l === "createOffer")).toHaveLength(1);
    await neg.answerReceived("a1");
    expect(log.slice(-4)).toEqual([
      "acceptAnswer a1",
      "answered",
      "createOffer",
      "send offer offer2",
    ]);
  });

  it("as the polite side, rolls back its own offer on glare, answers, then offers again", async () => {
    const { log, neg } = setup();
    await neg.enable();
    await neg.negotiationNeeded();
    log.length = 0;
    await neg.offerReceived("theirs");
    expect(log).toEqual([
      "rollback",
      "acceptOffer theirs",
      "send answer answer",
      "createOffer",
      "send offer offer2",
    ]);
  });

  it("ignores an answer nobody asked for", async () => {
    const { log, neg } = setup();
    expect(await neg.answerReceived("stray")).toBe(false);
    expect(log).toEqual([]);
  });
});
