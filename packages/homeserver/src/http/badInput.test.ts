import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DelayedEventsMsc } from "../names.ts";
import type { RunningHomeserver } from "../options.ts";
import { startHomeserver } from "../server.ts";
import { api, registerClient } from "../testing/sdk.ts";
import { Prefixes } from "./router.ts";

const delayedPrefix = Prefixes.delayedEvents[0];

describe("bad input", () => {
  let hs: RunningHomeserver;
  let token: string;
  let roomId: string;

  beforeAll(async () => {
    hs = await startHomeserver();
    const alice = await registerClient(hs.url, "alice");
    token = alice.getAccessToken()!;
    roomId = encodeURIComponent((await alice.createRoom({})).room_id);
  });

  afterAll(async () => {
    await hs.close();
  });

  const writes = (): [string, string][] => [
    ["POST", "/_matrix/client/v3/login"],
    ["POST", "/_matrix/client/v3/register"],
    ["POST", "/_matrix/client/v3/createRoom"],
    ["POST", "/_matrix/client/v3/join/%23nowhere%3Alocalhost"],
    ["POST", `/_matrix/client/v3/rooms/${roomId}/invite`],
    ["POST", `/_matrix/client/v3/rooms/${roomId}/kick`],
    ["PUT", `/_matrix/client/v3/rooms/${roomId}/state/x.y/`],
    ["PUT", `/_matrix/client/v3/rooms/${roomId}/state/x.y/?${DelayedEventsMsc.delayQuery}=abc`],
    ["PUT", `/_matrix/client/v3/rooms/${roomId}/send/x.y/t1`],
    ["PUT", "/_matrix/client/v3/rooms/!nope%3Alocalhost/send/x.y/t1"],
    ["PUT", "/_matrix/client/v3/sendToDevice/x.y/t1"],
    ["PUT", "/_matrix/client/v3/profile/@alice:localhost/displayname"],
    ["POST", "/_matrix/client/v3/user/@alice:localhost/filter"],
    ["PUT", "/_matrix/client/v3/user/@alice:localhost/account_data/x.y"],
    ["POST", `${delayedPrefix}/delayed_events/nope`],
    ["POST", `${delayedPrefix}/delayed_events/nope/explode`],
  ];
  const bodies = ["[]", "null", "5", '"text"', '{"messages": 3}', '{"user_id": 1}', "{"];

  it("answers malformed writes with 4xx Matrix errors, never a 500", async () => {
    for (const [method, path] of writes()) {
      for (const body of bodies) {
        const res = await api(hs.url, method, path, { token, body });
        expect([path, body, res.status < 500]).toEqual([path, body, true]);
        // Extra keys are allowed, so a few of these bodies are valid requests.
        if (res.status < 400) continue;
        // Registration answers a body without auth with the interactive-auth flows.
        const answer = res.body.flows ? "M_UIA_FLOWS" : String(res.body.errcode);
        expect([path, body, answer]).toEqual([path, body, expect.stringMatching(/^M_/)]);
      }
    }
  });

  it("answers broken paths and queries without crashing", async () => {
    const paths = [
      `/_matrix/client/v3/rooms/%E0%A4%A/state`,
      `/_matrix/client/v3/rooms/${roomId}/messages?dir=x`,
      `/_matrix/client/v3/rooms/${roomId}/messages?limit=-5&from=zzz`,
      "/_matrix/client/v3/sync?timeout=-1&since=s-1",
      "/_matrix/client/v3/sync?filter=%7Bbroken",
      "/_matrix/client/v3/sync?filter=999",
      `${delayedPrefix}/delayed_events?status=nope`,
    ];
    for (const path of paths) {
      const res = await api(hs.url, "GET", path, { token });
      expect([path, res.status < 500]).toEqual([path, true]);
    }
    const still = await api(hs.url, "GET", "/_matrix/client/v3/account/whoami", { token });
    expect(still.status).toBe(200);
  });
});
