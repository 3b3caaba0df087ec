import { beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../util/Clock.ts";
import { SubscriptionManager, type SubscriptionUpdate } from "./SubscriptionManager.ts";

describe("SubscriptionManager", () => {
  let clock: FakeClock;
  let sent: { at: number; update: SubscriptionUpdate }[];
  let accept: boolean;
  let mgr: SubscriptionManager;

  beforeEach(() => {
    clock = new FakeClock(1000);
    sent = [];
    accept = true;
    mgr = new SubscriptionManager({
      clock,
      batchMs: 50,
      minIntervalMs: 250,
      resizeThreshold: 0.15,
      send: (update) => {
        if (accept) sent.push({ at: clock.now(), update });
        return accept;
      },
    });
    mgr.setReady(true);
  });

  it("batches changes made within the batch window into one message", () => {
    mgr.want("s1", "a1");
    mgr.want("s1", "v1", { width: 640, height: 360 });
    mgr.want("s2", "a2");
    clock.advance(49);
    expect(sent).toHaveLength(0);
    clock.advance(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.update).toEqual({
      subscribe: [
        { stream_id: "s1", track_id: "a1" },
        { stream_id: "s1", track_id: "v1", width: 640, height: 360 },
        { stream_id: "s2", track_id: "a2" },
      ],
      unsubscribe: [],
    });
  });

  it("sends at most one message per minimum interval", () => {
    mgr.want("s1", "v1", { width: 320, height: 180 });
    clock.advance(50);
    mgr.want("s1", "v1", { width: 1280, height: 720 });
    clock.advance(100);
    expect(sent).toHaveLength(1);
    clock.advance(150);
    expect(sent.map((s) => s.at)).toEqual([1050, 1300]);
    expect(sent[1]?.update.subscribe).toEqual([
      { stream_id: "s1", track_id: "v1", width: 1280, height: 720 },
    ]);
  });

  it("does not re-send a size that changed less than the threshold", () => {
    mgr.want("s1", "v1", { width: 640, height: 360 });
    clock.advance(50);
    mgr.want("s1", "v1", { width: 660, height: 372 });
    clock.advance(1000);
    expect(sent).toHaveLength(1);
  });

  it("unsubscribes a video that is no longer wanted and keeps the audio", () => {
    mgr.want("s1", "a1");
    mgr.want("s1", "v1", { width: 640, height: 360 });
    clock.advance(50);
    mgr.unwant("s1", "v1");
    clock.advance(1000);
    expect(sent[1]?.update).toEqual({
      subscribe: [],
      unsubscribe: [{ stream_id: "s1", track_id: "v1" }],
    });
    expect(mgr.wanted).toEqual([{ stream_id: "s1", track_id: "a1" }]);
  });

  it("sends nothing when a want is withdrawn before the batch goes out", () => {
    mgr.want("s1", "v1", { width: 640, height: 360 });
    mgr.unwant("s1", "v1");
    clock.advance(1000);
    expect(sent).toHaveLength(0);
  });

  it("waits until ready and then sends everything wanted", () => {
    mgr.reset();
    mgr.want("s1", "a1");
    clock.advance(1000);
    expect(sent).toHaveLength(0);
    mgr.setReady(true);
    clock.advance(50);
    expect(sent[0]?.update.subscribe).toEqual([{ stream_id: "s1", track_id: "a1" }]);
  });

  it("re-sends every subscription after a reset for a new connection", () => {
    mgr.want("s1", "a1");
    clock.advance(50);
    mgr.reset();
    mgr.setReady(true);
    clock.advance(300);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.update.subscribe).toEqual([{ stream_id: "s1", track_id: "a1" }]);
  });

  it("forgets a stream the focus dropped without unsubscribing it", () => {
    mgr.want("s1", "a1");
    clock.advance(50);
    mgr.forgetStream("s1");
    mgr.want("s2", "a2");
    clock.advance(1000);
    expect(sent[1]?.update).toEqual({
      subscribe: [{ stream_id: "s2", track_id: "a2" }],
      unsubscribe: [],
    });
  });

  it("keeps an update that could not be sent and sends it when ready again", () => {
    accept = false;
    mgr.want("s1", "a1");
    clock.advance(50);
    accept = true;
    mgr.setReady(true);
    clock.advance(300);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.update.subscribe).toEqual([{ stream_id: "s1", track_id: "a1" }]);
  });
});
