import { describe, expect, it } from "vitest";
import { FakeClock } from "../util/Clock.ts";
import { AnswerTimeoutOutcome, midsOf, type NegotiationPeer, Negotiator } from "./Negotiator.ts";

const timings = { answerTimeoutMs: 10_000, maxReoffers: 3 };

/** An SDP whose first line names it and that has one m-section per mid. */
function sdp(name: string, mids: string[]): string {
  return [name, ...mids.map((m) => `m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:${m}`)].join("\r\n");
}

function setup(o: { polite?: boolean } = {}) {
  const log: string[] = [];
  const overdue: number[] = [];
  const answeredMids: (string | undefined)[][] = [];
  const clock = new FakeClock();
  /** The m-sections of the focus's next offer. */
  const offerMids = ["0"];
  let n = 0;
  const peer: NegotiationPeer = {
    createOffer: async () => {
      log.push("createOffer");
      return sdp(`offer${++n}`, offerMids);
    },
    acceptOffer: async (s) => {
      log.push(`acceptOffer ${s.split("\r\n")[0]}`);
      return "answer";
    },
    acceptAnswer: async (s) => {
      log.push(`acceptAnswer ${s.split("\r\n")[0]}`);
    },
    rollback: async () => {
      log.push("rollback");
    },
  };
  const neg = new Negotiator(
    peer,
    {
      sendDescription: (type, s) => log.push(`send ${type} ${s.split("\r\n")[0]}`),
      offerAnswered: (mids) => {
        log.push("answered");
        answeredMids.push([...mids]);
      },
      failed: (e) => log.push(`failed ${String(e)}`),
      answerIgnored: (reason) => log.push(`ignored: ${reason}`),
      answerOverdue: (offer) => overdue.push(offer),
    },
    { clock, timings, ...o },
  );
  return { log, neg, clock, overdue, offerMids, answeredMids };
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
    await neg.answerReceived(sdp("a1", ["0"]));
    expect(log.slice(-4)).toEqual([
      "acceptAnswer a1",
      "answered",
      "createOffer",
      "send offer offer2",
    ]);
  });

  it("offers every change made in the same turn in one offer, with nothing left to offer after", async () => {
    const { log, neg } = setup();
    await neg.enable();
    // e.g. the audio and video items of one track_subscription
    const changes = [neg.negotiationNeeded(), neg.negotiationNeeded(), neg.negotiationNeeded()];
    await Promise.all(changes);
    expect(log).toEqual(["createOffer", "send offer offer1"]);
    await neg.answerReceived(sdp("a1", ["0"]));
    expect(log.slice(2)).toEqual(["acceptAnswer a1", "answered"]);
    expect(neg.pending).toBe(false);
  });

  it("tells which m-sections the answered offer had", async () => {
    const { neg, offerMids, answeredMids } = setup();
    offerMids.push("1", "2");
    await neg.enable();
    await neg.negotiationNeeded();
    await neg.answerReceived(sdp("a1", ["0", "1", "2"]));
    expect(answeredMids).toEqual([["0", "1", "2"]]);
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

  it("ignores an answer nobody asked for, with the reason", async () => {
    const { log, neg } = setup();
    expect(await neg.answerReceived(sdp("stray", ["0"]))).toBe(false);
    expect(log).toEqual(["ignored: no offer is waiting for an answer"]);
  });

  it("reports an offer as overdue only once the answer timeout has passed", async () => {
    const { neg, clock, overdue } = setup();
    await neg.enable();
    await neg.negotiationNeeded();
    clock.advance(timings.answerTimeoutMs - 1);
    expect(overdue).toEqual([]);
    clock.advance(1);
    expect(overdue).toEqual([1]);
  });

  it("does not report an offer as overdue once it was answered", async () => {
    const { neg, clock, overdue } = setup();
    await neg.enable();
    await neg.negotiationNeeded();
    await neg.answerReceived(sdp("a1", ["0"]));
    clock.advance(timings.answerTimeoutMs * 2);
    expect(overdue).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("rolls back an unanswered offer and offers the current state again", async () => {
    const { log, neg, clock, overdue, offerMids } = setup();
    await neg.enable();
    await neg.negotiationNeeded();
    offerMids.push("1"); // a subscription added while offer1 was in flight
    await neg.negotiationNeeded();
    clock.advance(timings.answerTimeoutMs);
    log.length = 0;
    expect(await neg.answerTimedOut(overdue[0] ?? -1)).toBe(AnswerTimeoutOutcome.reoffered);
    expect(log).toEqual(["rollback", "createOffer", "send offer offer2"]);
    expect(await neg.answerReceived(sdp("a2", ["0", "1"]))).toBe(true);
    expect(log.slice(-2)).toEqual(["acceptAnswer a2", "answered"]);
    expect(neg.pending).toBe(false);
  });

  it("ignores a late answer to a superseded offer and applies the answer to the re-offer", async () => {
    const { log, neg, clock, overdue, offerMids } = setup();
    await neg.enable();
    await neg.negotiationNeeded();
    clock.advance(timings.answerTimeoutMs);
    offerMids.splice(0, 1, "0", "1");
    await neg.answerTimedOut(overdue[0] ?? -1);
    log.length = 0;
    expect(await neg.answerReceived(sdp("late-a1", ["0"]))).toBe(false);
    expect(log).toEqual([
      "ignored: its m-sections do not match the offer in flight (superseded offer)",
    ]);
    expect(neg.state).toBe("offering");
    expect(await neg.answerReceived(sdp("a2", ["0", "1"]))).toBe(true);
    expect(log.slice(-2)).toEqual(["acceptAnswer a2", "answered"]);
  });

  it("ignores an overdue notice for an offer that is no longer in flight", async () => {
    const { log, neg, clock, overdue } = setup();
    await neg.enable();
    await neg.negotiationNeeded();
    clock.advance(timings.answerTimeoutMs);
    // the answer arrived after the timer fired but before the notice was handled
    await neg.answerReceived(sdp("a1", ["0"]));
    log.length = 0;
    expect(await neg.answerTimedOut(overdue[0] ?? -1)).toBe(AnswerTimeoutOutcome.ignored);
    expect(log).toEqual([]);
  });

  it("gives up after maxReoffers unanswered re-offers and offers nothing more", async () => {
    const { log, neg, clock, overdue } = setup();
    await neg.enable();
    await neg.negotiationNeeded();
    const outcomes: string[] = [];
    for (let i = 0; i <= timings.maxReoffers; i++) {
      clock.advance(timings.answerTimeoutMs);
      outcomes.push(await neg.answerTimedOut(overdue.at(-1) ?? -1));
    }
    expect(outcomes).toEqual(["reoffered", "reoffered", "reoffered", "gaveUp"]);
    expect(log.filter((l) => l === "createOffer")).toHaveLength(1 + timings.maxReoffers);
    await neg.negotiationNeeded();
    clock.advance(timings.answerTimeoutMs * 2);
    expect(log.filter((l) => l === "createOffer")).toHaveLength(1 + timings.maxReoffers);
    expect(overdue).toHaveLength(1 + timings.maxReoffers);
  });

  it("counts re-offers afresh after an answer", async () => {
    const { neg, clock, overdue } = setup();
    await neg.enable();
    for (let round = 0; round < 2; round++) {
      await neg.negotiationNeeded();
      for (let i = 0; i < timings.maxReoffers; i++) {
        clock.advance(timings.answerTimeoutMs);
        expect(await neg.answerTimedOut(overdue.at(-1) ?? -1)).toBe("reoffered");
      }
      expect(await neg.answerReceived(sdp("a", ["0"]))).toBe(true);
    }
  });

  it("as the impolite side, also offers again when its offer goes unanswered", async () => {
    const { log, neg, clock, overdue } = setup({ polite: false });
    await neg.enable();
    await neg.negotiationNeeded();
    await neg.offerReceived("theirs");
    clock.advance(timings.answerTimeoutMs);
    expect(await neg.answerTimedOut(overdue[0] ?? -1)).toBe("reoffered");
    expect(log).toEqual([
      "createOffer",
      "send offer offer1",
      "rollback",
      "createOffer",
      "send offer offer2",
    ]);
  });

  it("reads the mid of each m-section in order", () => {
    expect(midsOf(sdp("x", ["0", "1", "2"]))).toEqual(["0", "1", "2"]);
    expect(midsOf("v=0\r\nm=audio 0 RTP/AVP 0\r\nc=IN IP4 0.0.0.0")).toEqual([undefined]);
  });
});
