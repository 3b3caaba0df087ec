// A focus running its conferences in two worker threads, called by werift bots through a real
// homeserver: two conferences land on different workers, the bots of each receive each other's
// media, a third participant lands on its conference's worker, and /metrics adds up both
// workers.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConferenceWorkers, type Focus } from "@matrix-focus/focus";
import type { RunningHomeserver } from "@matrix-focus/homeserver";
import type { MatrixClient } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Bot } from "../bots/Bot.ts";
import { focusCallRoom } from "./lib/callRoom.ts";
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
const users = new MatrixUsers(() => hs.url);
const bots: Bot[] = [];

beforeAll(async () => {
  hs = await startTestHomeserver();
  dataDir = await mkdtemp(join(tmpdir(), "focus-workers-"));
  focus = await startTestFocus({
    homeserverUrl: hs.url,
    username: "focus",
    deviceId: "FOCUSDEV",
    dataDir,
    config: { workers: 2, metrics: { port: 0 } },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(bots.map((b) => b.close()));
  users.stopAll();
  await focus?.close();
  await hs?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A room with the focus and these members, each with a membership naming the focus. */
function callRoom(members: MatrixClient[]): Promise<string> {
  return focusCallRoom(focus.me, members);
}

function botFor(client: MatrixClient, roomId: string): Bot {
  const bot = matrixBot(client, focus.me, { roomId, confId: "", bot: leanBotMedia });
  bots.push(bot);
  return bot;
}

/** A gauge or counter of the focus's Prometheus text. */
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${focus.httpUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no ${name} in /metrics`);
  return Number(line.split(" ")[1]);
}

describe("a focus with two conference workers", () => {
  it("places two conferences on different workers, forwards within each, keeps a third participant on its conference's worker and adds up both workers", async () => {
    const layer = focus.conferences;
    expect(layer).toBeInstanceOf(ConferenceWorkers);
    const workers = layer as ConferenceWorkers;
    const [ann, ben, cat, dan, eve] = await Promise.all(
      ["ann", "ben", "cat", "dan", "eve"].map((n) => users.register(n)),
    );
    const [room1, room2] = await Promise.all([
      callRoom([ann, ben, eve] as MatrixClient[]),
      callRoom([cat, dan] as MatrixClient[]),
    ]);
    const pair1 = [botFor(ann as MatrixClient, room1), botFor(ben as MatrixClient, room1)];
    const pair2 = [botFor(cat as MatrixClient, room2), botFor(dan as MatrixClient, room2)];
    const waits = { minPackets: 10, timeoutMs: 30_000 };
    await Promise.all([
      joinAndSubscribe(pair1, { ...waits, told: "room 1 bots told", received: "room 1 media" }),
      joinAndSubscribe(pair2, { ...waits, told: "room 2 bots told", received: "room 2 media" }),
    ]);
    const w1 = workers.workerOf({ roomId: room1, confId: "" });
    const w2 = workers.workerOf({ roomId: room2, confId: "" });
    expect(w1).toBeDefined();
    expect(w2).toBeDefined();
    expect(w1).not.toBe(w2);

    // a third participant of room 1 goes to room 1's worker and gets both others' media
    const third = botFor(eve as MatrixClient, room1);
    await third.join();
    await Bot.waitFor(
      () => third.dataChannelOpen && Object.keys(third.metadata).length === 2,
      "the third bot told about the other two",
      30_000,
    );
    third.subscribeAll({ width: 320, height: 180 });
    await Bot.waitFor(
      () => third.received.size === 4 && [...third.received.values()].every((t) => t.packets >= 10),
      "the third bot receives the other two's audio and video",
      30_000,
    );
    expect(workers.workerOf({ roomId: room1, confId: "" })).toBe(w1);

    await workers.idle();
    const per = workers.perWorker();
    expect(per[w1 as number]?.stats).toMatchObject({ conferences: 1, participants: 3 });
    expect(per[w2 as number]?.stats).toMatchObject({ conferences: 1, participants: 2 });
    for (const p of per) expect(p.stats?.packetsOut).toBeGreaterThan(0);
    const sentBefore = per.reduce((n, p) => n + (p.stats?.packetsOut ?? 0), 0);

    expect(await metric("matrix_focus_conferences")).toBe(2);
    expect(await metric("matrix_focus_participants")).toBe(5);
    expect(await metric("matrix_focus_rtp_packets_out_total")).toBeGreaterThanOrEqual(sentBefore);
    expect(
      focus.conferences
        .dump()
        .map((c) => c.roomId)
        .sort(),
    ).toEqual([room1, room2].sort());
  }, 120_000);
});
