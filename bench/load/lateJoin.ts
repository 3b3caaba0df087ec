// A participant joining a call that is already running, as a user does: join (publishing
// when the room's participants publish), subscribe to what the room's first subscriber
// receives, wait for the first key frame of each publisher, leave. Measured from the join's
// first request (invite / Janus join), so the figure covers ICE, DTLS, the data channel,
// the subscription's renegotiation and the SUT's key frame request.

import type { MediaProfile } from "../config/defaults.ts";
import { nowMs } from "./clock.ts";
import type { LateJoinOutcome, LateJoinPlan } from "./ipc.ts";
import { ReceiveStats } from "./media/ReceiveStats.ts";
import { SyntheticPublisher } from "./media/SyntheticPublisher.ts";
import type { PublishedFeed, TargetClient } from "./targets.ts";

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

async function waitForKeyframes(stats: ReceiveStats, from: number[], ms: number) {
  const until = nowMs() + ms;
  while (nowMs() < until && from.some((p) => !stats.firstKeyframeAt.has(p))) await sleep(5);
}

/** One late join after another (`plan.count`), each left before the next starts. */
export async function lateJoins(c: LateJoinContext, plan: LateJoinPlan): Promise<LateJoinOutcome> {
  const out: LateJoinOutcome = { keyframeMs: [], missing: 0, failures: [] };
  const wanted = plan.feeds.map((f) => c.feeds.get(f)).filter((f) => f !== undefined);
  for (let j = 0; j < plan.count; j++) {
    const index = plan.indexBase + j;
    const stats = new ReceiveStats();
    const pub = plan.publish ? new SyntheticPublisher(index, c.profile, c.leanSend) : undefined;
    const started = nowMs();
    let feed: PublishedFeed | undefined;
    let sub: Awaited<ReturnType<TargetClient["subscribe"]>> | undefined;
    try {
      if (pub) {
        feed = await c.target.publish(plan.room, index, pub);
        c.publishers.push(pub);
      }
      sub = await c.target.subscribe(plan.room, index, wanted, plan.layer, stats);
      await waitForKeyframes(
        stats,
        wanted.map((f) => f.publisher),
        Math.max(0, started + plan.timeoutMs - nowMs()),
      );
      for (const f of wanted) {
        const at = stats.firstKeyframeAt.get(f.publisher);
        if (at === undefined) out.missing++;
        else out.keyframeMs.push(at - started);
      }
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
