// Cascading with legacy MSC3401 memberships: a room call (`m.call`, conf_id "conf1"), members
// name their focus in `m.foci.active`, and two members on two foci receive each other's
// audio and video over the link the foci set up by themselves.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Focus } from "@matrix-focus/focus";
import type { RunningHomeserver } from "@matrix-focus/homeserver";
import {
  buildCallStateContent,
  buildLegacyMemberContent,
  type FocusRef,
  StateEventNames,
} from "@matrix-focus/protocol";
import type { MatrixClient } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Bot } from "../bots/Bot.ts";
import { createCallRoom } from "./lib/callRoom.ts";
import { startTestFocus, startTestHomeserver } from "./lib/focusStack.ts";
import { joinAndSubscribe } from "./lib/joinAndSubscribe.ts";
import { matrixBot } from "./lib/matrixBot.ts";
import { MatrixUsers } from "./lib/matrixUsers.ts";

for (const method of ["log", "info", "debug"] as const) {
  vi.spyOn(console, method).mockImplementation(() => {});
}

const CONF = "conf1";
let hs: RunningHomeserver;
let dir: string;
const foci: Focus[] = [];
const users = new MatrixUsers(() => hs.url);
const bots: Bot[] = [];

function startFocus(username: string, deviceId: string): Promise<Focus> {
  return startTestFocus({
    homeserverUrl: hs.url,
    username,
    deviceId,
    dataDir: join(dir, username),
    cascade: { checkIntervalMs: 500 },
  });
}

function botFor(client: MatrixClient, roomId: string, focus: FocusRef): Bot {
  const bot = matrixBot(client, focus, { roomId, confId: CONF, ignoreSendErrors: true });
  bots.push(bot);
  return bot;
}

beforeAll(async () => {
  hs = await startTestHomeserver();
  dir = await mkdtemp(join(tmpdir(), "cascade-legacy-"));
  foci.push(
    ...(await Promise.all([startFocus("focus-x", "FOCUSX"), startFocus("focus-y", "FOCUSY")])),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(bots.map((b) => b.close()));
  users.stopAll();
  await Promise.all(foci.map((f) => f.close()));
  await hs?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("cascading with legacy memberships", () => {
  it("two members whose m.foci.active name different foci receive each other's media", async () => {
    const [fx, fy] = foci as [Focus, Focus];
    const [ann, ben] = await Promise.all([users.register("ann"), users.register("ben")]);
    const roomId = await createCallRoom(ann, {
      foci: [fx.me.userId, fy.me.userId],
      joiners: [ben],
      openEvents: [StateEventNames.call.unstable],
    });
    await ann.sendStateEvent(
      roomId,
      StateEventNames.call.unstable as never,
      buildCallStateContent() as never,
      CONF,
    );
    const pairs: [MatrixClient, Focus][] = [
      [ann, fx],
      [ben, fy],
    ];
    for (const [c, f] of pairs) {
      await c.sendStateEvent(
        roomId,
        StateEventNames.callMember.unstable as never,
        buildLegacyMemberContent([
          {
            confId: CONF,
            devices: [
              {
                deviceId: c.getDeviceId() as string,
                sessionId: "s",
                expiresTs: Date.now() + 3_600_000,
                fociActive: [f.me],
                fociPreferred: [f.me],
              },
            ],
          },
        ]) as never,
        c.getUserId() as string,
      );
    }
    const pair = pairs.map(([c, f]) => botFor(c, roomId, f.me)) as [Bot, Bot];
    await joinAndSubscribe(pair, {
      told: "each bot is told about the other, through the link",
      received: "each bot receives the other's audio and video over the link",
      minPackets: 20,
      timeoutMs: 30_000,
    });
    const link = fx.conferences.links().find((c) => c.conference.confId === CONF)?.links[0];
    expect(link).toMatchObject({ focus: fy.me, dialer: true, state: "connected", tracksOut: 2 });
    expect(fx.conferences.stats()).toMatchObject({ conferences: 1, participants: 2 });
  }, 90_000);
});
