// Bots in one call joining and subscribing to each other.
import { Bot } from "../../bots/Bot.ts";

export interface JoinAndSubscribeOptions {
  /** What the wait for every bot knowing the others' streams is called in its timeout error. */
  told: string;
  /** What the wait for every bot receiving the others' audio and video is called. */
  received: string;
  /** Packets each received track must have. */
  minPackets: number;
  /** Each wait's limit, ms. */
  timeoutMs: number;
}

/**
 * Joins every bot; once each knows the others' streams with their audio and video track, each
 * subscribes to all of them.
 */
export async function joinAndSubscribe(all: Bot[], o: JoinAndSubscribeOptions): Promise<void> {
  for (const b of all) await b.join();
  const told = (b: Bot) =>
    Object.values(b.metadata).filter((s) => Object.keys(s.tracks ?? {}).length === 2).length;
  await Bot.waitFor(
    () => all.every((b) => b.dataChannelOpen && told(b) === all.length - 1),
    o.told,
    o.timeoutMs,
  );
  for (const b of all) b.subscribeAll({ width: 320, height: 180 });
  await Bot.waitFor(
    () =>
      all.every(
        (b) =>
          b.received.size === 2 * (all.length - 1) &&
          [...b.received.values()].every((t) => t.packets >= o.minPackets),
      ),
    o.received,
    o.timeoutMs,
  );
}
