// Two headless participants (werift bots) call the focus through a real homeserver: their
// memberships are room state, their call events are to-device messages, and each receives the
// other's audio and video through the focus.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Focus, validateConfig } from "@matrix-focus/focus";
import { type RunningHomeserver, startHomeserver } from "@matrix-focus/homeserver";
import {
  buildPerDeviceMemberContent,
  encodeCallEvent,
  type FocusRef,
  parseCallEvent,
  perDeviceMemberStateKey,
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
import { Bot, type BotOptions } from "../bots/Bot.ts";

// matrix-js-sdk logs its sync and room-call sessions on the console.
for (const method of ["log", "info", "debug"] as const) {
  vi.spyOn(console, method).mockImplementation(() => {});
}

let hs: RunningHomeserver;
let dataDir: string;
let focus: Focus;
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

/** A bot whose call events travel as to-device messages of `client`, in order. */
function botFor(
  client: MatrixClient,
  roomId: string,
  focusRef: FocusRef,
  options: Partial<BotOptions> = {},
): Bot {
  let chain = Promise.resolve();
  const bot = new Bot({
    ...options,
    user: { userId: client.getUserId() as string, deviceId: client.getDeviceId() as string },
    focus: focusRef,
    conference: { roomId, confId: "" },
    send: (event) => {
      const { type, content } = encodeCallEvent(event);
      const to = new Map([[focusRef.userId, new Map([[focusRef.deviceId, content]])]]);
      chain = chain.then(async () => {
        await client.sendToDevice(type, to);
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
  dataDir = await mkdtemp(join(tmpdir(), "focus-bots-"));
  const config = validateConfig({
    homeserverUrl: hs.url,
    username: "focus",
    password: "focus-pw",
    register: true,
    deviceId: "FOCUSDEV",
    dataDir,
    metrics: { enabled: false },
    sync: { timeoutMs: 1000 },
    logLevel: (process.env.FOCUS_TEST_LOG_LEVEL ?? "silent") as "silent",
  });
  focus = await Focus.start({ config });
}, 60_000);

afterAll(async () => {
  await Promise.all(bots.map((b) => b.close()));
  for (const c of clients) c.stopClient();
  await focus?.close();
  await hs?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A room with the focus and these members, each with a membership naming the focus. */
async function callRoom(members: MatrixClient[]): Promise<string> {
  const [owner, ...others] = members as [MatrixClient, ...MatrixClient[]];
  const { room_id: roomId } = await owner.createRoom({
    preset: Preset.PrivateChat,
    invite: [focus.me.userId, ...others.map((c) => c.getUserId() as string)],
    power_level_content_override: { events: { [StateEventNames.callMember.unstable]: 0 } },
  });
  for (const c of others) await c.joinRoom(roomId);
  await expect
    .poll(async () => Object.keys((await owner.getJoinedRoomMembers(roomId)).joined), {
      timeout: 10_000,
    })
    .toContain(focus.me.userId);
  for (const c of members) {
    const deviceId = c.getDeviceId() as string;
    await c.sendStateEvent(
      roomId,
      StateEventNames.callMember.unstable as never,
      buildPerDeviceMemberContent({ deviceId, fociPreferred: [focus.me] }) as never,
      perDeviceMemberStateKey(c.getUserId() as string, deviceId),
    );
  }
  return roomId;
}

describe("bots calling the focus through Matrix", () => {
  it("two bots with memberships naming the focus receive each other's audio and video", async () => {
    const [ann, ben] = await Promise.all([register("ann"), register("ben")]);
    const { room_id: roomId } = await ann.createRoom({
      preset: Preset.PrivateChat,
      invite: [focus.me.userId, ben.getUserId() as string],
      power_level_content_override: { events: { [StateEventNames.callMember.unstable]: 0 } },
    });
    await ben.joinRoom(roomId);
    await expect
      .poll(async () => Object.keys((await ann.getJoinedRoomMembers(roomId)).joined), {
        timeout: 10_000,
      })
      .toContain(focus.me.userId);
    for (const c of [ann, ben]) {
      const deviceId = c.getDeviceId() as string;
      await c.sendStateEvent(
        roomId,
        StateEventNames.callMember.unstable as never,
        buildPerDeviceMemberContent({ deviceId, fociPreferred: [focus.me] }) as never,
        perDeviceMemberStateKey(c.getUserId() as string, deviceId),
      );
    }
    const pair = [botFor(ann, roomId, focus.me), botFor(ben, roomId, focus.me)];
    for (const b of pair) await b.join();
    await Bot.waitFor(
      () => pair.every((b) => b.dataChannelOpen && Object.keys(b.metadata).length === 1),
      "both bots connected and told about each other",
      20_000,
    );
    for (const b of pair) b.subscribeAll({ width: 320, height: 180 });
    await Bot.waitFor(
      () =>
        pair.every(
          (b) => b.received.size === 2 && [...b.received.values()].every((t) => t.packets >= 20),
        ),
      "each bot receives the other's audio and video",
      20_000,
    );
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
    for (const b of four) await b.join();
    await Bot.waitFor(
      () => four.every((b) => b.dataChannelOpen && Object.keys(b.metadata).length === 3),
      "every bot connected and told about the other three",
      20_000,
    );
    for (const b of four) b.subscribeAll({ width: 320, height: 180 });
    await Bot.waitFor(
      () =>
        four.every(
          (b) => b.received.size === 6 && [...b.received.values()].every((t) => t.packets >= 10),
        ),
      "each bot receives three audio and three video tracks",
      20_000,
    );
    for (const b of four) {
      for (const other of four.filter((x) => x !== b)) {
        expect(b.track(other.streamId, other.audioTrackId)?.kind).toBe("audio");
        expect(b.track(other.streamId, other.videoTrackId)?.keyframes).toBeGreaterThanOrEqual(1);
      }
    }
    const call = focus.conferences.dump().find((c) => c.roomId === roomId);
    expect(call?.participants).toHaveLength(4);
    expect(call?.participants.map((p) => p.subscriptions.length)).toEqual([6, 6, 6, 6]);
  }, 60_000);
});
