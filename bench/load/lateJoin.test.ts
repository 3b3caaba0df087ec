import { afterEach, describe, expect, it, vi } from "vitest";
import { mediaProfile } from "../config/defaults.ts";
import { nowMs } from "./clock.ts";
import type { LateJoinPlan } from "./ipc.ts";
import { lateJoins } from "./lateJoin.ts";
import { layerKey, type ReceiveStats } from "./media/ReceiveStats.ts";
import type { SyntheticPublisher } from "./media/SyntheticPublisher.ts";
import type { PublishedFeed, TargetClient } from "./targets.ts";

const feed = (publisher: number): PublishedFeed => ({
  feed: `f${publisher}`,
  publisher,
  close: async () => {},
});

/** The marker stream of layer f in the profile (1 = its first layer). */
const fStream = mediaProfile.layers.findIndex((l) => l.rid === "f") + 1;

/**
 * A target whose joins take `joinMs` and whose key frames arrive `keyframeMs[publisher]` after
 * the subscription, and on layer f `switchMs[publisher]` after a switch to it (none for a
 * publisher without an entry).
 */
function fakeTarget(
  joinMs: number,
  keyframeMs: Record<number, number>,
  switchMs: Record<number, number> = {},
) {
  const log: string[] = [];
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const target: TargetClient = {
    problems: [],
    createRoom: async () => {},
    publish: async (_room, index) => {
      log.push(`publish ${index}`);
      await wait(joinMs);
      return {
        feed: `f${index}`,
        publisher: index,
        close: async () => void log.push(`unpublish ${index}`),
      };
    },
    subscribe: async (_room, index, feeds, _layer, stats: ReceiveStats) => {
      log.push(`subscribe ${index} to ${feeds.map((f) => f.publisher).join(",")}`);
      await wait(joinMs);
      for (const f of feeds) {
        const after = keyframeMs[f.publisher];
        if (after !== undefined)
          setTimeout(() => stats.firstKeyframeAt.set(f.publisher, nowMs()), after);
      }
      return {
        requestedAt: nowMs(),
        switchLayer: async (to) => {
          log.push(`switch ${index} to ${to}`);
          for (const f of feeds) {
            const after = switchMs[f.publisher];
            if (after !== undefined && to === "f")
              setTimeout(
                () => stats.layerKeyframeAt.set(layerKey(f.publisher, fStream), nowMs()),
                after,
              );
          }
        },
        close: async () => void log.push(`leave ${index}`),
      };
    },
    close: async () => {},
  };
  return { target, log };
}

const plan = (o: Partial<LateJoinPlan> = {}): LateJoinPlan => ({
  room: 0,
  count: 2,
  indexBase: 100,
  feeds: [1, 2],
  layer: "h",
  publish: true,
  timeoutMs: 1000,
  gapMs: 10,
  ...o,
});

/** Runs `p` against `target` with publishers 1 and 2 published, on fake timers. */
async function run(target: TargetClient, p: LateJoinPlan, publishers: SyntheticPublisher[] = []) {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  const done = lateJoins(
    {
      target,
      profile: mediaProfile,
      feeds: new Map([1, 2].map((i) => [i, feed(i)])),
      publishers,
      leanSend: true,
    },
    p,
  );
  await vi.runAllTimersAsync();
  return done;
}

describe("lateJoins", () => {
  afterEach(() => vi.useRealTimers());

  it("measures each publisher's first key frame from the join's first request, one joiner after another", async () => {
    const { target, log } = fakeTarget(40, { 1: 100, 2: 150 }, { 1: 60, 2: 80 });
    const publishers: SyntheticPublisher[] = [];
    const r = await run(target, plan(), publishers);
    // publish 40 ms + subscribe 40 ms + key frame 100 / 150 ms (polled every 5 ms)
    expect(r.keyframeMs).toHaveLength(4);
    for (const [i, ms] of r.keyframeMs.entries()) {
      expect(ms).toBeGreaterThanOrEqual(i % 2 ? 230 : 180);
      expect(ms).toBeLessThan(i % 2 ? 240 : 190);
    }
    expect(r.missing).toBe(0);
    // then each joiner asks for f instead of h: its key frames 60 / 80 ms later
    expect(r.switchMs).toHaveLength(4);
    for (const [i, ms] of r.switchMs.entries()) {
      expect(ms).toBeGreaterThanOrEqual(i % 2 ? 80 : 60);
      expect(ms).toBeLessThan(i % 2 ? 90 : 70);
    }
    expect(r.switchMissing).toBe(0);
    expect(r.failures).toEqual([]);
    expect(log).toEqual([
      "publish 100",
      "subscribe 100 to 1,2",
      "switch 100 to f",
      "leave 100",
      "unpublish 100",
      "publish 101",
      "subscribe 101 to 1,2",
      "switch 101 to f",
      "leave 101",
      "unpublish 101",
    ]);
    expect(publishers).toEqual([]);
  });

  it("counts a publisher whose key frame does not come in time as missing", async () => {
    const { target } = fakeTarget(10, { 1: 50 });
    const r = await run(target, plan({ count: 1, publish: false, timeoutMs: 300 }));
    expect(r.keyframeMs).toHaveLength(1);
    expect(r.missing).toBe(1);
    expect(r.switchMissing).toBe(2);
  });

  it("switches a joiner that received f to q", async () => {
    const { target, log } = fakeTarget(10, { 1: 20, 2: 20 });
    await run(target, plan({ count: 1, publish: false, layer: "f", timeoutMs: 100 }));
    expect(log).toContain("switch 100 to q");
  });

  it("reports a join that fails and still runs the next one", async () => {
    const { target } = fakeTarget(10, { 1: 20, 2: 20 });
    let first = true;
    const subscribe = target.subscribe.bind(target);
    target.subscribe = async (...a) => {
      if (first) {
        first = false;
        throw new Error("no answer within 30000 ms");
      }
      return subscribe(...a);
    };
    const r = await run(target, plan({ publish: false }));
    expect(r.failures).toEqual(["late join 100: no answer within 30000 ms"]);
    expect(r.keyframeMs).toHaveLength(2);
  });
});
