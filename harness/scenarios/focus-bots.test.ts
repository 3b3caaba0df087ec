// Two headless participants (werift bots) call the focus through a real homeserver: their
// memberships are room state, their call events are to-device messages, and each receives the
// other's audio and video through the focus.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Focus } from "@matrix-focus/focus";
import type { RunningHomeserver } from "@matrix-focus/homeserver";
import type { FocusRef } from "@matrix-focus/protocol";
import type { MatrixClient } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Bot, BotOptions } from "../bots/Bot.ts";
import { focusCallRoom } from "./lib/callRoom.ts";
import { startTestFocus, startTestHomeserver } from "./lib/focusStack.ts";
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
const register = (username: string) => users.register(username);
const bots: Bot[] = [];

/** A bot whose call events travel as to-device messages of `client`, in order. */
function botFor(
  client: MatrixClient,
  roomId: string,
  focusRef: FocusRef,
  options: Partial<BotOptions> = {},
): Bot {
  const bot = matrixBot(client, focusRef, { roomId, confId: "", bot: options });
  bots.push(bot);
  return bot;
}

beforeAll(async () => {
  hs = await startTestHomeserver();
  dataDir = await mkdtemp(join(tmpdir(), "focus-bots-"));
  focus = await startTestFocus({
    homeserverUrl: hs.url,
    username: "focus",
    deviceId: "FOCUSDEV",
    dataDir,
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

describe("bots calling the focus through Matrix", () => {
  it("two bots with memberships naming the focus receive each other's audio and video", async () => {
    const [ann, ben] = await Promise.all([register("ann"), register("ben")]);
    const roomId = await callRoom([ann, ben]);
    const pair = [botFor(ann, roomId, focus.me), botFor(ben, roomId, focus.me)];
    await joinAndSubscribe(pair, {
      told: "both bots connected and told about each other",
      received: "each bot receives the other's audio and video",
      minPackets: 20,
      timeoutMs: 20_000,
    });
    const [a, b] = pair as [Bot, Bot];
    expect(a.track(b.streamId, b.videoTrackId)?.keyframes).toBeGreaterThanOrEqual(1);
    expect(b.track(a.streamId, a.audioTrackId)?.kind).toBe("audio");
    expect(focus.conferences.stats()).toMatchObject({ conferences: 1, participants: 2 });
  }, 60_000);

  it("four bots in one call each receive the other three's audio and video", async () => {
    const members = await Promise.all(["cat", "dan", "eve", "fay"].map((n) => register(n)));
    const roomId = await callRoom(members);
    // one small simulcast layer at 10 fps keeps the machine's load low
    const lean = {
      layers: [{ rid: "q", width: 320, height: 180, frameBytes: 800 }],
      fps: 10,
    };
    const four = members.map((c) => botFor(c, roomId, focus.me, lean));
    await joinAndSubscribe(four, {
      told: "every bot connected and told about the other three",
      received: "each bot receives three audio and three video tracks",
      minPackets: 10,
      timeoutMs: 20_000,
    });
    for (const b of four) {
      for (const other of four.filter((x) => x !== b)) {
        expect(b.track(other.streamId, other.audioTrackId)?.kind).toBe("audio");
        expect(b.track(other.streamId, other.videoTrackId)?.keyframes).toBeGreaterThanOrEqual(1);
      }
      // after every renegotiation, still exactly the other three's streams and tracks
      const others = four.filter((x) => x !== b);
      expect(Object.keys(b.metadata).sort()).toEqual(others.map((o) => o.streamId).sort());
      for (const o of others) {
        expect(Object.keys(b.metadata[o.streamId]?.tracks ?? {}).sort()).toEqual(
          [o.audioTrackId, o.videoTrackId].sort(),
        );
      }
    }
    const call = focus.conferences.dump().find((c) => c.roomId === roomId);
    expect(call?.participants).toHaveLength(4);
    expect(call?.participants.map((p) => p.subscriptions.length)).toEqual([6, 6, 6, 6]);
  }, 60_000);
});
