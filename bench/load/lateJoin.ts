// A participant joining a call that is already running, as a user does: join (publishing
// when the room's participants publish), subscribe to what the room's first subscriber
// receives, wait for the first key frame of each publisher, leave. Measured from the join's
// first request (invite / Janus join), so the figure covers ICE, DTLS, the data channel,
// the subscription's renegotiation and the SUT's key frame request.
// Then the layer switch: the joiner asks for another layer of every video (f, or q when it
// had f), as a client does when a tile is resized, and waits for the first key frame of each
// publisher on that layer: from the request, the SUT's key frame request to the publisher,
// the publisher's key frame and the SUT's switch.

import type { MediaProfile } from "../config/defaults.ts";
import { nowMs } from "./clock.ts";
import type { LateJoinOutcome, LateJoinPlan } from "./ipc.ts";
import { layerKey, ReceiveStats } from "./media/ReceiveStats.ts";
import { SyntheticPublisher } from "./media/SyntheticPublisher.ts";
import type { LayerRid, PublishedFeed, Subscription, TargetClient } from "./targets.ts";

export interface LateJoinContext {
  target: TargetClient;
  profile: MediaProfile;
  /** Every published feed by publisher index (of any load process). */
  feeds: ReadonlyMap<number, PublishedFeed>;
  /** The publishers the pacer sends for; a joining publisher is added while it is there. */
  publishers: SyntheticPublisher[];
  leanSend: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits up to `ms` until `at` knows every publisher of `from`, then puts each one's time after
 * `since` into `into`; returns how many never came.
 */
async function arrivals(
  from: number[],
  at: (publisher: number) => number | undefined,
  since: number,
  ms: number,
  into: number[],
): Promise<number> {
  const until = nowMs() + ms;
  while (nowMs() < until && from.some((p) => at(p) === undefined)) await sleep(5);
  let missing = 0;
  for (const p of from) {
    const t = at(p);
    if (t === undefined) missing++;
    else into.push(t - since);
  }
  return missing;
}

/** The layer a joiner that received `layer` switches to. */
const switchedLayer = (layer: LayerRid): LayerRid => (layer === "f" ? "q" : "f");

/** Asks `sub` for the other layer; the time to each publisher's first key frame on it. */
async function switchLayer(
  c: LateJoinContext,
  plan: LateJoinPlan,
  sub: Subscription,
  stats: ReceiveStats,
  publishers: number[],
  out: LateJoinOutcome,
): Promise<void> {
  const to = switchedLayer(plan.layer);
  const stream = c.profile.layers.findIndex((l) => l.rid === to) + 1;
  stats.layerKeyframeAt.clear();
  stats.watchLayerKeyframes = true;
  const asked = nowMs();
  await sub.switchLayer(to);
  const at = (p: number) => stats.layerKeyframeAt.get(layerKey(p, stream));
  out.switchMissing += await arrivals(publishers, at, asked, plan.timeoutMs, out.switchMs);
}

/** One late join after another (`plan.count`), each left before the next starts. */
export async function lateJoins(c: LateJoinContext, plan: LateJoinPlan): Promise<LateJoinOutcome> {
  const out: LateJoinOutcome = {
    keyframeMs: [],
    missing: 0,
    switchMs: [],
    switchMissing: 0,
    failures: [],
  };
  const wanted = plan.feeds.map((f) => c.feeds.get(f)).filter((f) => f !== undefined);
  for (let j = 0; j < plan.count; j++) {
    const index = plan.indexBase + j;
    const stats = new ReceiveStats();
    const pub = plan.publish ? new SyntheticPublisher(index, c.profile, c.leanSend) : undefined;
    const started = nowMs();
    let feed: PublishedFeed | undefined;
    let sub: Subscription | undefined;
    try {
      if (pub) {
        feed = await c.target.publish(plan.room, index, pub);
        c.publishers.push(pub);
      }
      sub = await c.target.subscribe(plan.room, index, wanted, plan.layer, stats);
      const from = wanted.map((f) => f.publisher);
      const left = Math.max(0, started + plan.timeoutMs - nowMs());
      const at = (p: number) => stats.firstKeyframeAt.get(p);
      out.missing += await arrivals(from, at, started, left, out.keyframeMs);
      await switchLayer(c, plan, sub, stats, from, out);
    } catch (e) {
      out.failures.push(`late join ${index}: ${(e as Error).message}`);
    } finally {
      const i = pub ? c.publishers.indexOf(pub) : -1;
      if (i >= 0) c.publishers.splice(i, 1);
      await sub?.close().catch(() => {});
      await feed?.close().catch(() => {});
    }
    await sleep(plan.gapMs);
  }
  return out;
}
