import { StateEventNames, Values } from "@matrix-focus/protocol";
import type { MatrixClient } from "matrix-js-sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../clock.ts";
import { Prefixes } from "../http/router.ts";
import { DelayedEventsMsc, MessageType, RoomEventType } from "../names.ts";
import type { RunningHomeserver } from "../options.ts";
import { startHomeserver } from "../server.ts";
import { api, registerClient } from "../testing/sdk.ts";

const callMember = StateEventNames.callMember.unstable;

describe("delayed events (MSC4140)", () => {
  let hs: RunningHomeserver;
  let clock: ManualClock;
  let alice: MatrixClient;
  let roomId: string;
  const stateKey = `_@alice:localhost_DEV${Values.memberStateKeySuffix}`;

  beforeEach(async () => {
    clock = new ManualClock();
    hs = await startHomeserver({ clock });
    alice = await registerClient(hs.url, "alice");
    roomId = (await alice.createRoom({})).room_id;
    await alice.sendStateEvent(roomId, callMember as never, { joined: true } as never, stateKey);
  });

  afterEach(async () => {
    alice.stopClient();
    await hs.close();
  });

  const current = () => alice.getStateEvent(roomId, callMember, stateKey);
  const scheduleLeave = () =>
    alice._unstable_sendDelayedStateEvent(
      roomId,
      { delay: 8000 },
      callMember as never,
      {} as never,
      stateKey,
    );

  it("sends the delayed event when its delay runs out", async () => {
    const { delay_id } = await scheduleLeave();
    expect(delay_id).toBeTruthy();
    clock.advance(7999);
    expect(await current()).toEqual({ joined: true });
    clock.advance(1);
    expect(await current()).toEqual({});
    const info = await alice._unstable_getDelayedEvents();
    expect(info.scheduled).toEqual([]);
    expect(info.finalised?.[0]).toMatchObject({ outcome: "send", reason: "delay" });
  });

  it("keeps the event back while the client restarts it, and sends it once restarts stop", async () => {
    const { delay_id } = await scheduleLeave();
    for (let i = 0; i < 3; i++) {
      clock.advance(5000);
      await alice._unstable_restartScheduledDelayedEvent(delay_id);
    }
    expect(await current()).toEqual({ joined: true });
    const scheduled = (await alice._unstable_getDelayedEvents("scheduled")).scheduled!;
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({
      delay_id,
      type: callMember,
      state_key: stateKey,
      delay: 8000,
    });
    clock.advance(8000);
    expect(await current()).toEqual({});
  });

  it("never sends a cancelled delayed event and then reports it unknown", async () => {
    const { delay_id } = await scheduleLeave();
    await alice._unstable_cancelScheduledDelayedEvent(delay_id);
    clock.advance(60_000);
    expect(await current()).toEqual({ joined: true });
    await expect(alice._unstable_restartScheduledDelayedEvent(delay_id)).rejects.toMatchObject({
      errcode: "M_NOT_FOUND",
    });
  });

  it("accepts the older action-in-body endpoint and sends on request", async () => {
    const { delay_id } = await scheduleLeave();
    await alice._unstable_updateDelayedEvent(delay_id, "restart" as never);
    await alice._unstable_updateDelayedEvent(delay_id, "send" as never);
    expect(await current()).toEqual({});
    const bad = await api(
      hs.url,
      "POST",
      `${Prefixes.delayedEvents[0]}/delayed_events/${delay_id}`,
      {
        token: alice.getAccessToken()!,
        body: { action: "explode" },
      },
    );
    expect(bad.body.errcode).toBe("M_BAD_JSON");
  });

  it("delays a timeline event sent with the delay query parameter", async () => {
    const res = await api(
      hs.url,
      "PUT",
      `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${RoomEventType.message}/d1?${DelayedEventsMsc.delayQuery}=1000`,
      { token: alice.getAccessToken()!, body: { msgtype: MessageType.text, body: "later" } },
    );
    expect(typeof res.body.delay_id).toBe("string");
    const before = await alice.createMessagesRequest(roomId, null, 1, "b" as never);
    expect(before.chunk[0]?.content.body).toBeUndefined();
    clock.advance(1000);
    const after = await alice.createMessagesRequest(roomId, null, 1, "b" as never);
    expect(after.chunk[0]?.content.body).toBe("later");
  });

  it("refuses a delayed event the sender could not send now", async () => {
    const bob = await registerClient(hs.url, "bob");
    await expect(
      bob._unstable_sendDelayedStateEvent(
        roomId,
        { delay: 1000 },
        callMember as never,
        {} as never,
        stateKey,
      ),
    ).rejects.toMatchObject({ errcode: "M_FORBIDDEN" });
  });
});
