import { CallEventNames } from "@matrix-focus/protocol";
import { ClientEvent, type MatrixClient, type MatrixEvent } from "matrix-js-sdk";
import { describe, expect, it } from "vitest";
import { homeserverDefaults } from "../defaults.ts";
import { LoginType, UserIdentifierType } from "../names.ts";
import { useHomeserverPair } from "../testing/pair.ts";
import { api, startSyncing, testPassword, waitFor } from "../testing/sdk.ts";

const hangup = CallEventNames.hangup.stable;

describe("to-device messages", () => {
  const pair = useHomeserverPair();

  const sync = async (client: MatrixClient, since?: string) => {
    const query = since ? `?since=${since}&timeout=0` : "";
    const res = await api(pair.hs.url, "GET", `/_matrix/client/v3/sync${query}`, {
      token: client.getAccessToken()!,
    });
    const toDevice = (res.body.to_device as { events: { content: { n?: number } }[] }).events;
    return { next: res.body.next_batch as string, toDevice };
  };

  it("delivers a message until a later sync acknowledges it, then never again", async () => {
    const first = await sync(pair.bob);
    const put = (txn: string, n: number) =>
      api(pair.hs.url, "PUT", `/_matrix/client/v3/sendToDevice/${hangup}/${txn}`, {
        token: pair.alice.getAccessToken()!,
        body: { messages: { "@bob:localhost": { [pair.bob.getDeviceId()!]: { n } } } },
      });
    expect((await put("t1", 1)).status).toBe(200);
    expect((await put("t1", 1)).status).toBe(200);
    const second = await sync(pair.bob, first.next);
    expect(second.toDevice.map((e) => e.content.n)).toEqual([1]);
    const repeated = await sync(pair.bob, first.next);
    expect(repeated.toDevice.map((e) => e.content.n)).toEqual([1]);
    const third = await sync(pair.bob, second.next);
    expect(third.toDevice).toEqual([]);
    await put("t2", 2);
    const fourth = await sync(pair.bob, third.next);
    expect(fourth.toDevice.map((e) => e.content.n)).toEqual([2]);
  });

  it("reaches every device of a user through the * device and a syncing matrix-js-sdk exactly once", async () => {
    await startSyncing(pair.bob);
    const received: MatrixEvent[] = [];
    pair.bob.on(ClientEvent.ToDeviceEvent, (e) => {
      if (e.getType() === hangup) received.push(e);
    });
    await pair.alice.sendToDevice(
      hangup,
      new Map([["@bob:localhost", new Map([["*", { call_id: "c1" }]])]]),
    );
    await waitFor("the message at bob", () => (received.length > 0 ? true : undefined));
    await pair.alice.sendToDevice(
      hangup,
      new Map([["@bob:localhost", new Map([["*", { call_id: "c2" }]])]]),
    );
    await waitFor("the second message at bob", () => (received.length > 1 ? true : undefined));
    await new Promise((r) => setTimeout(r, 200));
    expect(received.map((e) => e.getContent().call_id)).toEqual(["c1", "c2"]);
    expect(received[0]!.getSender()).toBe("@alice:localhost");
  });

  it("answers a sync with an unreadable or unknown since token with a full sync", async () => {
    const bad = await sync(pair.bob, "garbage");
    expect(bad.next).toMatch(/^s\d+/);
    const future = await sync(pair.bob, "s999999");
    expect(future.next).toMatch(/^s\d+/);
  });

  it("hands out a long queue in batches without losing or repeating a message", async () => {
    const first = await sync(pair.bob);
    const total = homeserverDefaults.toDeviceLimit + 5;
    for (let n = 0; n < total; n++) {
      await api(pair.hs.url, "PUT", `/_matrix/client/v3/sendToDevice/${hangup}/q${n}`, {
        token: pair.alice.getAccessToken()!,
        body: { messages: { "@bob:localhost": { [pair.bob.getDeviceId()!]: { n } } } },
      });
    }
    const batch1 = await sync(pair.bob, first.next);
    expect(batch1.toDevice).toHaveLength(homeserverDefaults.toDeviceLimit);
    const batch2 = await sync(pair.bob, batch1.next);
    const batch3 = await sync(pair.bob, batch2.next);
    const all = [...batch1.toDevice, ...batch2.toDevice, ...batch3.toDevice].map(
      (e) => e.content.n,
    );
    expect(all).toEqual(Array.from({ length: total }, (_, n) => n));
  });

  it("keeps a device's queue when the user logs in again with the same device id", async () => {
    await api(pair.hs.url, "PUT", `/_matrix/client/v3/sendToDevice/${hangup}/k1`, {
      token: pair.alice.getAccessToken()!,
      body: { messages: { "@bob:localhost": { [pair.bob.getDeviceId()!]: { n: 7 } } } },
    });
    const login = await api(pair.hs.url, "POST", "/_matrix/client/v3/login", {
      body: {
        type: LoginType.password,
        identifier: { type: UserIdentifierType.user, user: "bob" },
        password: testPassword,
        device_id: pair.bob.getDeviceId(),
      },
    });
    expect(login.body.device_id).toBe(pair.bob.getDeviceId());
    const res = await api(pair.hs.url, "GET", "/_matrix/client/v3/sync", {
      token: login.body.access_token as string,
    });
    const events = (res.body.to_device as { events: { content: unknown }[] }).events;
    expect(events.map((e) => e.content)).toEqual([{ n: 7 }]);
  });
});
