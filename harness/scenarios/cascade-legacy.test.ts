// Cascading with legacy MSC3401 memberships: a room call (`m.call`, conf_id "conf1"), members
// name their focus in `m.foci.active`, and two members on two foci receive each other's
// audio and video over the link the foci set up by themselves.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Focus, validateConfig } from "@matrix-focus/focus";
import { type RunningHomeserver, startHomeserver } from "@matrix-focus/homeserver";
import {
  buildCallStateContent,
  buildLegacyMemberContent,
  encodeCallEvent,
  type FocusRef,
  parseCallEvent,
  StateEventNames,
} from "@matrix-focus/protocol";
import {
  AuthType,
  ClientEvent,
  createClient,
  type MatrixClient,
  type MatrixEvent,
  Preset,
  SyncState,
} from "matrix-js-sdk";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Bot } from "../bots/Bot.ts";

for (const method of ["log", "info", "debug"] as const) {
  vi.spyOn(console, method).mockImplementation(() => {});
}

const CONF = "conf1";
let hs: RunningHomeserver;
let dir: string;
const foci: Focus[] = [];
const clients: MatrixClient[] = [];
const bots: Bot[] = [];

async function register(username: string): Promise<MatrixClient> {
  const res = await createClient({ baseUrl: hs.url }).registerRequest({
    username,
    password: "pw",
    auth: { type: AuthType.Dummy },
  });
  const client = createClient({
    baseUrl: hs.url,
    userId: res.user_id,
    deviceId: res.device_id as string,
    accessToken: res.access_token as string,
  });
  const prepared = new Promise<void>((resolve) => {
    client.on(ClientEvent.Sync, (state) => {
      if (state === SyncState.Prepared) resolve();
    });
  });
  await client.startClient({ initialSyncLimit: 1 });
  await prepared;
  clients.push(client);
  return client;
}

function startFocus(username: string, deviceId: string): Promise<Focus> {
  return Focus.start({
    config: validateConfig({
      homeserverUrl: hs.url,
      username,
      password: "focus-pw",
      register: true,
      deviceId,
      dataDir: join(dir, username),
      metrics: { enabled: false },
      sync: { timeoutMs: 1000 },
      logLevel: (process.env.FOCUS_TEST_LOG_LEVEL ?? "silent") as "silent",
    }),
    cascade: { checkIntervalMs: 500 },
  });
}

function botFor(client: MatrixClient, roomId: string, focus: FocusRef): Bot {
  let chain = Promise.resolve();
  const bot = new Bot({
    user: { userId: client.getUserId() as string, deviceId: client.getDeviceId() as string },
    focus,
    conference: { roomId, confId: CONF },
    send: (event) => {
      const { type, content } = encodeCallEvent(event);
      const to = new Map([[focus.userId, new Map([[focus.deviceId, content]])]]);
      chain = chain.then(async () => {
        await client.sendToDevice(type, to).catch(() => {});
      });
    },
  });
  client.on(ClientEvent.ToDeviceEvent, (ev: MatrixEvent) => {
    const parsed = parseCallEvent(ev.getType(), ev.getContent());
    if (parsed.ok) void bot.receiveCallEvent(parsed.value).catch(() => {});
  });
  bots.push(bot);
  return bot;
}

beforeAll(async () => {
  hs = await startHomeserver({
    port: 0,
    databasePath: ":memory:",
    logger: pino({ level: "silent" }),
  });
  dir = await mkdtemp(join(tmpdir(), "cascade-legacy-"));
  foci.push(
    ...(await Promise.all([startFocus("focus-x", "FOCUSX"), startFocus("focus-y", "FOCUSY")])),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(bots.map((b) => b.close()));
  for (const c of clients) c.stopClient();
  await Promise.all(foci.map((f) => f.close()));
  await hs?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("cascading with legacy memberships", () => {
  it("two members whose m.foci.active name different foci receive each other's media", async () => {
    const [fx, fy] = foci as [Focus, Focus];
    const [ann, ben] = await Promise.all([register("ann"), register("ben")]);
    const { room_id: roomId } = await ann.createRoom({
      preset: Preset.PrivateChat,
      invite: [fx.me.userId, fy.me.userId, ben.getUserId() as string],
      power_level_content_override: {
        events: {
          [StateEventNames.callMember.unstable]: 0,
          [StateEventNames.call.unstable]: 0,
        },
      },
    });
    await ben.joinRoom(roomId);
    await ann.sendStateEvent(
      roomId,
      StateEventNames.call.unstable as never,
      buildCallStateContent() as never,
      CONF,
    );
    await expect
      .poll(async () => Object.keys((await ann.getJoinedRoomMembers(roomId)).joined), {
        timeout: 20_000,
      })
      .toEqual(expect.arrayContaining([fx.me.userId, fy.me.userId]));
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
    for (const b of pair) await b.join();
    await Bot.waitFor(
      () => pair.every((b) => b.dataChannelOpen && Object.keys(b.metadata).length === 1),
      "each bot is told about the other, through the link",
      30_000,
    );
    for (const b of pair) b.subscribeAll({ width: 320, height: 180 });
    await Bot.waitFor(
      () =>
        pair.every(
          (b) => b.received.size === 2 && [...b.received.values()].every((t) => t.packets >= 20),
        ),
      "each bot receives the other's audio and video over the link",
      30_000,
    );
    const link = fx.conferences.links().find((c) => c.conference.confId === CONF)?.links[0];
    expect(link).toMatchObject({ focus: fy.me, dialer: true, state: "connected", tracksOut: 2 });
    expect(fx.conferences.stats()).toMatchObject({ conferences: 1, participants: 2 });
  }, 90_000);
});
