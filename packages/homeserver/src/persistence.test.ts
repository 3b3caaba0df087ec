import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CallEventNames, StateEventNames, Values } from "@matrix-focus/protocol";
import { createClient } from "matrix-js-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "./clock.ts";
import { LoginType, RoomEventType } from "./names.ts";
import type { RunningHomeserver } from "./options.ts";
import { startHomeserver } from "./server.ts";
import { api, registerClient, testPassword } from "./testing/sdk.ts";

const callMember = StateEventNames.callMember.unstable;

describe("a homeserver with a database file", () => {
  const dir = mkdtempSync(join(tmpdir(), "homeserver-test-"));
  const databasePath = join(dir, "data", "homeserver.sqlite");
  let hs: RunningHomeserver | undefined;

  afterEach(async () => {
    await hs?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps accounts, tokens, rooms, state, pending to-device and delayed events across a restart", async () => {
    const clock = new ManualClock();
    hs = await startHomeserver({ databasePath, clock });
    const alice = await registerClient(hs.url, "alice");
    const bob = await registerClient(hs.url, "bob");
    const { room_id: roomId } = await alice.createRoom({ name: "Kept", room_alias_name: "kept" });
    const stateKey = `_@alice:localhost_DEV${Values.memberStateKeySuffix}`;
    await alice.sendStateEvent(roomId, callMember as never, { joined: true } as never, stateKey);
    await alice.sendToDevice(
      CallEventNames.hangup.stable,
      new Map([["@bob:localhost", new Map([[bob.getDeviceId()!, { call_id: "kept" }]])]]),
    );
    await alice._unstable_sendDelayedStateEvent(
      roomId,
      { delay: 5000 },
      callMember as never,
      {} as never,
      stateKey,
    );
    clock.advance(1000);
    await hs.close();

    hs = await startHomeserver({ databasePath, clock });
    const url = hs.url;
    const alice2 = createClient({
      baseUrl: url,
      accessToken: alice.getAccessToken()!,
      userId: alice.getUserId()!,
    });
    expect((await alice2.whoami()).user_id).toBe("@alice:localhost");
    expect(await alice2.getStateEvent(roomId, RoomEventType.name, "")).toEqual({ name: "Kept" });
    expect((await alice2.getRoomIdForAlias("#kept:localhost")).room_id).toBe(roomId);
    const login = await api(url, "POST", "/_matrix/client/v3/login", {
      body: { type: LoginType.password, user: "bob", password: testPassword },
    });
    expect(login.status).toBe(200);
    const sync = await api(url, "GET", "/_matrix/client/v3/sync", { token: bob.getAccessToken()! });
    const toDevice = (sync.body.to_device as { events: { content: unknown }[] }).events;
    expect(toDevice.map((e) => e.content)).toEqual([{ call_id: "kept" }]);

    expect(await alice2.getStateEvent(roomId, callMember, stateKey)).toEqual({ joined: true });
    clock.advance(4000);
    expect(await alice2.getStateEvent(roomId, callMember, stateKey)).toEqual({});
  });
});
