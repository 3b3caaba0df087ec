import { describe, expect, it } from "vitest";
import { negotiatedSenders } from "./negotiatedSenders.ts";

const sender = (mid: string | null, closed = false) => ({ out: { mid }, closed });

describe("negotiatedSenders", () => {
  it("starts the subscriptions whose m-line was in the answered offer", () => {
    const a = sender("3");
    const b = sender("4");
    const { ready, stillWaiting } = negotiatedSenders([a, b], ["0", "1", "3", "4"]);
    expect(ready).toEqual([a, b]);
    expect(stillWaiting).toEqual([]);
  });

  it("keeps a subscription added while the offer was in flight waiting for the next answer", () => {
    const inOffer = sender("3");
    const addedLater = sender(null);
    const midFromNextOffer = sender("5");
    const { ready, stillWaiting } = negotiatedSenders(
      [inOffer, addedLater, midFromNextOffer],
      ["0", "3"],
    );
    expect(ready).toEqual([inOffer]);
    expect(stillWaiting).toEqual([addedLater, midFromNextOffer]);
  });

  it("drops subscriptions that ended meanwhile", () => {
    const { ready, stillWaiting } = negotiatedSenders(
      [sender("3", true), sender(null, true)],
      ["3"],
    );
    expect(ready).toEqual([]);
    expect(stillWaiting).toEqual([]);
  });
});
