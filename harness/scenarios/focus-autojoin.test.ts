// A focus with autoJoin off stays out of a room it is invited to (embedded homeserver,
// in-process focus, a matrix-js-sdk user).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Focus, validateConfig } from "@matrix-focus/focus";
import { type RunningHomeserver, startHomeserver } from "@matrix-focus/homeserver";
import { Membership, StateEventNames } from "@matrix-focus/protocol";
import { AuthType, createClient, type MatrixClient, Preset } from "matrix-js-sdk";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

for (const method of ["log", "info", "debug"] as const) {
  vi.spyOn(console, method).mockImplementation(() => {});
}

let hs: RunningHomeserver;
let dataDir: string;
let focus: Focus;
let owner: MatrixClient;
const logLines: { msg?: string; roomId?: string }[] = [];

beforeAll(async () => {
  hs = await startHomeserver({
    port: 0,
    databasePath: ":memory:",
    logger: pino({ level: "silent" }),
  });
  dataDir = await mkdtemp(join(tmpdir(), "focus-autojoin-"));
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n")) if (line) logLines.push(JSON.parse(line));
      done();
    },
  });
  focus = await Focus.start({
    config: validateConfig({
      homeserverUrl: hs.url,
      username: "focus",
      password: "focus-pw",
      register: true,
      dataDir,
      autoJoin: false,
      metrics: { enabled: false },
      sync: { timeoutMs: 500 },
    }),
    logger: pino({ level: "info" }, sink),
  });
  const res = await createClient({ baseUrl: hs.url }).registerRequest({
    username: "owner",
    password: "pw",
    auth: { type: AuthType.Dummy },
  });
  owner = createClient({
    baseUrl: hs.url,
    userId: res.user_id,
    deviceId: res.device_id as string,
    accessToken: res.access_token as string,
  });
}, 60_000);

afterAll(async () => {
  await focus?.close();
  await hs?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("a focus with autoJoin off", () => {
  it("sees an invite but does not join the room", async () => {
    const { room_id: roomId } = await owner.createRoom({
      preset: Preset.PrivateChat,
      invite: [focus.me.userId],
    });
    await expect
      .poll(() => logLines.some((l) => l.roomId === roomId && /not joining/.test(l.msg ?? "")), {
        timeout: 10_000,
      })
      .toBe(true);
    // a few more syncs: still only invited
    await new Promise((r) => setTimeout(r, 1_500));
    const member = await owner.getStateEvent(
      roomId,
      StateEventNames.member.stable as never,
      focus.me.userId,
    );
    expect(member.membership).toBe(Membership.invite);
    const joined = Object.keys((await owner.getJoinedRoomMembers(roomId)).joined);
    expect(joined).not.toContain(focus.me.userId);
  }, 30_000);
});
