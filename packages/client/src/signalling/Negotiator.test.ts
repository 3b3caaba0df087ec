import { describe, expect, it } from "vitest";
import { silentLogger } from "../log.ts";
import { type NegotiationPeer, Negotiator } from "./Negotiator.ts";

/** A peer connection's signalling state machine, without media. */
class FakePeer implements NegotiationPeer {
  signalingState = "stable";
  localDescription: { type: string; sdp: string } | null = null;
  remote: RTCSessionDescriptionInit[] = [];
  offers = 0;
  gate: Promise<void> | undefined;

  async setLocalDescription(d?: RTCSessionDescriptionInit): Promise<void> {
    if (this.gate) await this.gate;
    if (d?.type === "rollback") {
      this.localDescription = null;
      this.signalingState = "stable";
      return;
    }
    if (this.signalingState === "stable") {
      this.localDescription = { type: "offer", sdp: `offer-${++this.offers}` };
      this.signalingState = "have-local-offer";
    } else if (this.signalingState === "have-remote-offer") {
      this.localDescription = { type: "answer", sdp: "answer" };
      this.signalingState = "stable";
    } else throw new Error(`setLocalDescription in ${this.signalingState}`);
  }

  async setRemoteDescription(d: RTCSessionDescriptionInit): Promise<void> {
    if (d.sdp === "broken") throw new Error("cannot parse");
    if (d.type === "offer" && this.signalingState === "stable")
      this.signalingState = "have-remote-offer";
    else if (d.type === "answer" && this.signalingState === "have-local-offer")
      this.signalingState = "stable";
    else throw new Error(`setRemoteDescription(${d.type}) in ${this.signalingState}`);
    this.remote.push(d);
  }
}

function setup() {
  const peer = new FakePeer();
  const sent: { type: string; sdp: string }[] = [];
  const failed: string[] = [];
  const neg = new Negotiator({
    peer,
    logger: silentLogger,
    maxFailures: 2,
    onFailed: (r) => failed.push(r),
    sendDescription: (d) => {
      sent.push(d);
      return true;
    },
  });
  return { peer, sent, neg, failed };
}

describe("Negotiator", () => {
  it("answers an offer from the focus and sends the answer back", async () => {
    const { peer, sent, neg } = setup();
    neg.setReady(true);
    expect(await neg.handleDescription({ type: "offer", sdp: "focus-offer" })).toBe("applied");
    expect(sent).toEqual([{ type: "answer", sdp: "answer" }]);
    expect(peer.signalingState).toBe("stable");
  });

  it("offers when something new is published and applies the focus's answer", async () => {
    const { peer, sent, neg } = setup();
    neg.setReady(true);
    await neg.handleNegotiationNeeded();
    expect(sent).toEqual([{ type: "offer", sdp: "offer-1" }]);
    expect(await neg.handleDescription({ type: "answer", sdp: "focus-answer" })).toBe("applied");
    expect(peer.signalingState).toBe("stable");
  });

  it("as the impolite side ignores a focus offer that collides with its own offer", async () => {
    const { peer, sent, neg } = setup();
    neg.setReady(true);
    await neg.handleNegotiationNeeded();
    expect(await neg.handleDescription({ type: "offer", sdp: "focus-offer" })).toBe("ignored");
    expect(peer.remote).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(await neg.handleDescription({ type: "answer", sdp: "focus-answer" })).toBe("applied");
  });

  it("answers a focus offer that arrives right behind the focus's answer to its own offer", async () => {
    // The focus (polite) rolled its offer back for ours, answers ours and offers again at once:
    // the offer must be judged after the answer is applied, not against the pending local offer.
    const { peer, sent, neg } = setup();
    neg.setReady(true);
    await neg.handleNegotiationNeeded();
    const answered = neg.handleDescription({ type: "answer", sdp: "focus-answer" });
    const offered = neg.handleDescription({ type: "offer", sdp: "focus-offer-again" });
    expect(await answered).toBe("applied");
    expect(await offered).toBe("applied");
    expect(peer.remote.map((d) => d.sdp)).toEqual(["focus-answer", "focus-offer-again"]);
    expect(sent).toEqual([
      { type: "offer", sdp: "offer-1" },
      { type: "answer", sdp: "answer" },
    ]);
    expect(peer.signalingState).toBe("stable");
  });

  it("ignores a focus offer that arrives while its own offer is being created", async () => {
    const { peer, neg } = setup();
    neg.setReady(true);
    let open!: () => void;
    peer.gate = new Promise((r) => {
      open = r;
    });
    const offering = neg.handleNegotiationNeeded();
    await Promise.resolve();
    expect(neg.makingOffer).toBe(true);
    expect(await neg.handleDescription({ type: "offer", sdp: "focus-offer" })).toBe("ignored");
    open();
    await offering;
    expect(peer.signalingState).toBe("have-local-offer");
  });

  it("waits with renegotiation until ready and then offers once", async () => {
    const { sent, neg } = setup();
    await neg.handleNegotiationNeeded();
    expect(sent).toEqual([]);
    neg.setReady(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([{ type: "offer", sdp: "offer-1" }]);
  });

  it("offers after an answered focus offer when a publish was held back meanwhile", async () => {
    const { peer, sent, neg } = setup();
    neg.setReady(true);
    peer.signalingState = "have-remote-offer";
    await neg.handleNegotiationNeeded();
    expect(sent).toEqual([]);
    peer.signalingState = "stable";
    await neg.handleDescription({ type: "offer", sdp: "focus-offer" });
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.map((d) => d.type)).toEqual(["answer", "offer"]);
  });

  it("reports an answer it cannot apply as failed without throwing", async () => {
    const { neg } = setup();
    neg.setReady(true);
    expect(await neg.handleDescription({ type: "answer", sdp: "stray" })).toBe("failed");
  });

  it("renumbers clashing header extension ids in a focus offer before applying it", async () => {
    const { peer, neg } = setup();
    neg.setReady(true);
    peer.localDescription = { type: "answer", sdp: "a=extmap:4 urn:mid\r\na=extmap:2 urn:abs" };
    const sdp = "a=extmap:4 urn:mid\r\na=extmap:1 urn:mid\r\na=extmap:4 urn:rid";
    await neg.handleDescription({ type: "offer", sdp });
    expect(peer.remote[0]?.sdp).toBe(
      "a=extmap:4 urn:mid\r\na=extmap:4 urn:mid\r\na=extmap:1 urn:rid",
    );
  });

  it("rolls back its offer when the focus's answer cannot be applied and offers again", async () => {
    const { peer, sent, neg, failed } = setup();
    neg.setReady(true);
    await neg.handleNegotiationNeeded();
    expect(await neg.handleDescription({ type: "answer", sdp: "broken" })).toBe("failed");
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.map((d) => d.sdp)).toEqual(["offer-1", "offer-2"]);
    expect(peer.signalingState).toBe("have-local-offer");
    expect(failed).toEqual([]);
  });

  it("gives the connection up when descriptions keep failing", async () => {
    const { neg, failed } = setup();
    neg.setReady(true);
    await neg.handleDescription({ type: "offer", sdp: "broken" });
    await neg.handleDescription({ type: "offer", sdp: "broken" });
    expect(failed).toHaveLength(1);
  });

  it("counts only failures in a row", async () => {
    const { neg, failed } = setup();
    neg.setReady(true);
    await neg.handleDescription({ type: "offer", sdp: "broken" });
    await neg.handleDescription({ type: "offer", sdp: "fine" });
    await neg.handleDescription({ type: "offer", sdp: "broken" });
    expect(failed).toEqual([]);
  });
});
