// One conference spread over two conference workers of one focus: with `spreadAbove: 2` the
// third and fourth device of a call land on the second worker, the two parts link with each
// other like foci, every bot receives every other bot's audio and video whichever part it is
// on, /metrics counts one conference of four, and a bot leaving one part leaves the other
// part's announcements. Then the same with a second focus in the call (cascading): the parts
// relay the other focus's tracks between them, and the home part relays its sibling's tracks
// to the other focus.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConferenceWorkers, type Focus, type FocusConfigInput } from "@matrix-focus/focus";
import type { RunningHomeserver } from "@matrix-focus/homeserver";
import type { FocusRef } from "@matrix-focus/protocol";
import type { MatrixClient } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Bot } from "../bots/Bot.ts";
import { createCallRoom, focusCallRoom, writeMembership } from "./lib/callRoom.ts";
import { leanBotMedia, startTestFocus, startTestHomeserver } from "./lib/focusStack.ts";
import { joinAndSubscribe } from "./lib/joinAndSubscribe.ts";
import { matrixBot } from "./lib/matrixBot.ts";
import { MatrixUsers } from "./lib/matrixUsers.ts";

// matrix-js-sdk logs its sync and room-call sessions on the console.
for (const method of ["log", "info", "debug"] as const) {
  vi.spyOn(console, method).mockImplementation(() => {});
}

let hs: RunningHomeserver;
let dataDir: string;
let focus: Focus;
let other: Focus;
const users = new MatrixUsers(() => hs.url);
const bots: Bot[] = [];

beforeAll(async () => {
  hs = await startTestHomeserver();
  dataDir = await mkdtemp(join(tmpdir(), "focus-spread-"));
  const start = (username: string, config: Partial<FocusConfigInput>) =>
    startTestFocus({
      homeserverUrl: hs.url,
      username,
      deviceId: username.toUpperCase(),
      dataDir: join(dataDir, username),
      config: { metrics: { port: 0 }, ...config },
    });
  [focus, other] = await Promise.all([
    start("focus", { workers: 2, spreadAbove: 2 }),
    start("other", { workers: 1 }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(bots.map((b) => b.close()));
  users.stopAll();
  await Promise.all([focus?.close(), other?.close()]);
  await hs?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A gauge of the focus's Prometheus text. */
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${focus.httpUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no ${name} in /metrics`);
  return Number(line.split(" ")[1]);
}

/** One bot per client, each calling its focus in `roomId`; all join and subscribe to all. */
async function callEachOther(
  clients: MatrixClient[],
  fociOf: (i: number) => FocusRef,
  roomId: string,
  where: string,
): Promise<Bot[]> {
  const all = clients.map((c, i) => {
    const bot = matrixBot(c, fociOf(i), { roomId, confId: "", bot: leanBotMedia });
    bots.push(bot);
    return bot;
  });
  await joinAndSubscribe(all, {
    told: `every bot told about the other three ${where}`,
    received: `every bot receives the other three's audio and video ${where}`,
    minPackets: 10,
    timeoutMs: 60_000,
  }).catch((err: unknown) => {
    // which bot misses which track, for the log
    for (const b of all) {
      const got = all
        .filter((o) => o !== b)
        .map((o) =>
          [o.audioTrackId, o.videoTrackId].map((t) => b.track(o.streamId, t)?.packets ?? 0),
        );
      console.warn(b.user.userId, JSON.stringify(got));
    }
    throw err;
  });
  return all;
}

describe("a conference spread over two workers", () => {
  it("links its parts so that every device receives every other device's media, and counts it once", async () => {
    const workers = focus.conferences as ConferenceWorkers;
    expect(workers).toBeInstanceOf(ConferenceWorkers);
    const clients = (await Promise.all(
      ["ann", "ben", "cat", "dan"].map((n) => users.register(n)),
    )) as MatrixClient[];
    const roomId = await focusCallRoom(focus.me, clients);
    const all = await callEachOther(clients, () => focus.me, roomId, "on one focus");

    await workers.idle();
    const per = workers.perWorker().map((w) => w.stats);
    // each part: two devices and the link to the other part
    expect(per.map((s) => s?.participants)).toEqual([3, 3]);
    expect(per.every((s) => (s?.packetsOut ?? 0) > 0)).toBe(true);
    expect(await metric("matrix_focus_conferences")).toBe(1);
    expect(await metric("matrix_focus_conference_parts")).toBe(2);
    expect(await metric("matrix_focus_participants")).toBe(4);
    // four devices publishing audio and video, each receiving the other three's
    expect(await metric("matrix_focus_published_tracks")).toBe(8);
    expect(await metric("matrix_focus_subscriptions")).toBe(24);
    // the cascade sees one conference without links to other foci
    expect(focus.conferences.links()).toMatchObject([{ localParticipants: 4, links: [] }]);
    // /conferences shows each part with its worker
    const parts = focus.conferences.dump().filter((c) => c.roomId === roomId);
    expect(parts.map((c) => c.worker).sort()).toEqual([0, 1]);

    // a device leaving the second part disappears from the first part's announcements
    const [ann, , , dan] = all as [Bot, Bot, Bot, Bot];
    await dan.hangup();
    await Bot.waitFor(
      () => Object.keys(ann.metadata).length === 2,
      "the first bot told that the fourth left",
      20_000,
    );
  }, 150_000);

  it("relays another focus's tracks between its parts and its parts' tracks to the other focus", async () => {
    const clients = (await Promise.all(
      ["eve", "fay", "gus", "hal"].map((n) => users.register(n)),
    )) as MatrixClient[];
    const [owner, ...joiners] = clients as [MatrixClient, ...MatrixClient[]];
    const roomId = await createCallRoom(owner, {
      foci: [focus.me.userId, other.me.userId],
      joiners,
      timeoutMs: 10_000,
    });
    // eve, fay and gus call the spread focus (gus lands on its second part), hal the other
    const fociOf = [focus.me, focus.me, focus.me, other.me];
    for (const [i, c] of clients.entries()) await writeMembership(c, roomId, fociOf[i] as FocusRef);
    await callEachOther(clients, (i) => fociOf[i] as FocusRef, roomId, "across both foci");
    const key = { roomId, confId: "" };
    const workers = focus.conferences as ConferenceWorkers;
    expect(workers.partsOf(key)).toHaveLength(2);
    // one link to the other focus, from the home part only
    expect(focus.conferences.links().find((c) => c.conference.roomId === roomId)).toMatchObject({
      localParticipants: 3,
      links: [{ focus: other.me }],
    });
  }, 150_000);

  it("serves a spread conference on when the worker of one part stops and its devices call again", async () => {
    const workers = focus.conferences as ConferenceWorkers;
    const clients = (await Promise.all(
      ["ivy", "jon", "kim", "lou"].map((n) => users.register(n)),
    )) as MatrixClient[];
    const roomId = await focusCallRoom(focus.me, clients);
    const first = await callEachOther(clients, () => focus.me, roomId, "before the stop");
    const key = { roomId, confId: "" };
    const [home, lost] = workers.partsOf(key) as [number, number];
    expect(lost).toBeDefined();

    await workers.stopWorker(lost);
    await Bot.waitFor(
      () => workers.partsOf(key).length === 1,
      "the stopped worker's part forgotten",
      10_000,
    );
    // the devices of the stopped part call again, as a client does when its call fails
    const again = clients.slice(2).map((c) => {
      const bot = matrixBot(c, focus.me, { roomId, confId: "", bot: leanBotMedia });
      bots.push(bot);
      return bot;
    });
    for (const b of again) await b.join();
    const all = [...first.slice(0, 2), ...again];
    const others = (b: Bot) => all.filter((o) => o !== b);
    await Bot.waitFor(
      () =>
        all.every(
          (b) =>
            b.dataChannelOpen &&
            others(b).every((o) => Object.keys(b.metadata[o.streamId]?.tracks ?? {}).length === 2),
        ),
      "every bot told about the streams of the devices that called again",
      30_000,
    );
    for (const b of all) b.subscribeAll({ width: 320, height: 180 });
    await Bot.waitFor(
      () =>
        all.every((b) =>
          others(b).every((o) =>
            [o.audioTrackId, o.videoTrackId].every(
              (t) => (b.track(o.streamId, t)?.packets ?? 0) >= 10,
            ),
          ),
        ),
      "every bot receives everyone again",
      40_000,
    );
    expect(workers.partsOf(key)[0]).toBe(home);
  }, 150_000);

  it("carries each simulcast layer a part's subscribers need, so that each gets its own size", async () => {
    const clients = (await Promise.all(
      ["pam", "rex", "sue", "ted"].map((n) => users.register(n)),
    )) as MatrixClient[];
    const roomId = await focusCallRoom(focus.me, clients);
    // pam publishes two layers; pam and rex fill the first part, sue and ted the second
    const two = {
      layers: leanBotMedia.layers.concat({ rid: "h", width: 640, height: 360, frameBytes: 1600 }),
    };
    const all = clients.map((c, i) => {
      const bot = matrixBot(c, focus.me, {
        roomId,
        confId: "",
        bot: i === 0 ? { ...leanBotMedia, ...two } : leanBotMedia,
      });
      bots.push(bot);
      return bot;
    });
    const [pam, , sue, ted] = all as [Bot, Bot, Bot, Bot];
    for (const b of all) await b.join();
    const video = (b: Bot) => b.metadata[pam.streamId]?.tracks?.[pam.videoTrackId];
    await Bot.waitFor(
      () => [sue, ted].every((b) => b.dataChannelOpen && video(b)?.width === 640),
      "the second part's bots told about pam's video at its full size",
      30_000,
    );
    const item = (width: number, height: number) => [
      { stream_id: pam.streamId, track_id: pam.videoTrackId, width, height },
    ];
    sue.subscribe(item(320, 180));
    ted.subscribe(item(640, 360));
    const width = (b: Bot) => b.track(pam.streamId, pam.videoTrackId)?.lastKeyframeWidth;
    await Bot.waitFor(
      () => width(sue) === 320 && width(ted) === 640,
      "sue receives pam's small layer and ted the large one, over the sibling link",
      30_000,
    ).catch((err: unknown) => {
      console.warn("sue", width(sue), "ted", width(ted));
      throw err;
    });
    // pam on one part, sue and ted on the other
    const workers = focus.conferences as ConferenceWorkers;
    expect(workers.partsOf({ roomId, confId: "" })).toHaveLength(2);
  }, 150_000);
});
