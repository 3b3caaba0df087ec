import { Values } from "@matrix-focus/protocol";
import type { MatrixClient } from "matrix-js-sdk";
import { createClient } from "matrix-js-sdk";
import { RuleId } from "matrix-js-sdk/lib/@types/PushRules.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  Capability,
  DelayedEventsMsc,
  LoginType,
  RtcTransportsMsc,
  UserIdentifierType,
  WellKnownKey,
} from "./names.ts";
import type { RunningHomeserver } from "./options.ts";
import { startHomeserver } from "./server.ts";
import { api, registerClient, testPassword } from "./testing/sdk.ts";

describe("the embedded homeserver", () => {
  let hs: RunningHomeserver;
  const clients: MatrixClient[] = [];

  beforeEach(async () => {
    hs = await startHomeserver({
      rtcTransports: [
        { type: Values.focusTypeMsc3898, user_id: "@focus:localhost", device_id: "FOCUS" },
      ],
    });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.stopClient();
    await hs.close();
  });

  it("listens on a free port of 127.0.0.1 and advertises delayed events and RTC transports", async () => {
    expect(hs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await api(hs.url, "GET", "/_matrix/client/versions");
    expect(res.status).toBe(200);
    expect(res.body.versions).toContain("v1.11");
    expect(res.body.unstable_features).toMatchObject({
      [DelayedEventsMsc.feature]: true,
      [RtcTransportsMsc.feature]: true,
    });
  });

  it("sends CORS headers on every answer and answers preflight requests", async () => {
    const preflight = await api(hs.url, "OPTIONS", "/_matrix/client/v3/sync");
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
    const notFound = await api(hs.url, "GET", "/_matrix/client/v3/no/such/thing");
    expect(notFound.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("answers unknown endpoints with 404 M_UNRECOGNIZED", async () => {
    const res = await api(hs.url, "GET", "/_matrix/client/v3/no/such/thing");
    expect(res.status).toBe(404);
    expect(res.body.errcode).toBe("M_UNRECOGNIZED");
  });

  it("registers through matrix-js-sdk's interactive auth and logs in with a password", async () => {
    const alice = await registerClient(hs.url, "alice");
    clients.push(alice);
    expect(alice.getUserId()).toBe("@alice:localhost");
    expect(await alice.whoami()).toMatchObject({ user_id: "@alice:localhost" });

    const anonymous = createClient({ baseUrl: hs.url });
    const flows = await anonymous.loginFlows();
    expect(flows.flows.map((f) => f.type)).toContain(LoginType.password);
    const login = await anonymous.loginRequest({
      type: LoginType.password,
      identifier: { type: UserIdentifierType.user, user: "alice" },
      password: testPassword,
      device_id: "MYDEVICE",
    });
    expect(login).toMatchObject({
      user_id: "@alice:localhost",
      device_id: "MYDEVICE",
      home_server: "localhost",
    });
    const legacy = await api(hs.url, "POST", "/_matrix/client/r0/login", {
      body: { type: LoginType.password, user: "@alice:localhost", password: testPassword },
    });
    expect(legacy.status).toBe(200);
    const wrong = await api(hs.url, "POST", "/_matrix/client/v3/login", {
      body: { type: LoginType.password, user: "alice", password: "nope" },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.errcode).toBe("M_FORBIDDEN");
  });

  it("asks for the dummy auth stage first and refuses taken and invalid usernames", async () => {
    const first = await api(hs.url, "POST", "/_matrix/client/v3/register", {
      body: { username: "bob", password: "pw" },
    });
    expect(first.status).toBe(401);
    expect(first.body.flows).toEqual([{ stages: [LoginType.dummy] }]);
    expect(typeof first.body.session).toBe("string");
    const done = await api(hs.url, "POST", "/_matrix/client/v3/register", {
      body: {
        username: "bob",
        password: "pw",
        auth: { type: LoginType.dummy, session: first.body.session },
      },
    });
    expect(done.status).toBe(200);
    const taken = await api(hs.url, "POST", "/_matrix/client/v3/register", {
      body: { username: "bob", password: "pw", auth: { type: LoginType.dummy } },
    });
    expect(taken.body.errcode).toBe("M_USER_IN_USE");
    const invalid = await api(hs.url, "POST", "/_matrix/client/v3/register", {
      body: { username: "Bad Name!", password: "pw", auth: { type: LoginType.dummy } },
    });
    expect(invalid.body.errcode).toBe("M_INVALID_USERNAME");
    const guest = await api(hs.url, "POST", "/_matrix/client/v3/register?kind=guest", { body: {} });
    expect(guest.status).toBe(403);
  });

  it("refuses registration with M_FORBIDDEN when it is switched off", async () => {
    const closed = await startHomeserver({ registrationOpen: false });
    try {
      const res = await api(closed.url, "POST", "/_matrix/client/v3/register", {
        body: { username: "carol", password: "pw", auth: { type: LoginType.dummy } },
      });
      expect(res.status).toBe(403);
      expect(res.body.errcode).toBe("M_FORBIDDEN");
    } finally {
      await closed.close();
    }
  });

  it("rejects missing and unknown tokens, bad JSON and oversized bodies with Matrix errors", async () => {
    const alice = await registerClient(hs.url, "alice");
    clients.push(alice);
    const token = alice.getAccessToken()!;
    const missing = await api(hs.url, "GET", "/_matrix/client/v3/account/whoami");
    expect([missing.status, missing.body.errcode]).toEqual([401, "M_MISSING_TOKEN"]);
    const unknown = await api(hs.url, "GET", "/_matrix/client/v3/account/whoami", {
      token: "nope",
    });
    expect([unknown.status, unknown.body.errcode]).toEqual([401, "M_UNKNOWN_TOKEN"]);
    await expect(
      createClient({ baseUrl: hs.url, accessToken: "nope", userId: "@alice:localhost" }).whoami(),
    ).rejects.toMatchObject({ errcode: "M_UNKNOWN_TOKEN", httpStatus: 401 });
    const notJson = await api(hs.url, "POST", "/_matrix/client/v3/createRoom", {
      token,
      body: "{nope",
    });
    expect([notJson.status, notJson.body.errcode]).toEqual([400, "M_NOT_JSON"]);
    const badJson = await api(hs.url, "POST", "/_matrix/client/v3/createRoom", {
      token,
      body: { preset: "party" },
    });
    expect([badJson.status, badJson.body.errcode]).toEqual([400, "M_BAD_JSON"]);
    expect(String(badJson.body.error)).toContain("preset");
    const huge = await api(
      hs.url,
      "PUT",
      "/_matrix/client/v3/profile/@alice:localhost/displayname",
      {
        token,
        body: { displayname: "x".repeat(2 * 1024 * 1024) },
      },
    );
    expect([huge.status, huge.body.errcode]).toEqual([413, "M_TOO_LARGE"]);
  });

  it("rate limits a token with M_LIMIT_EXCEEDED and a retry delay", async () => {
    const limited = await startHomeserver({ rateLimit: { requestsPerSecond: 1, burst: 2 } });
    try {
      const alice = await registerClient(limited.url, "alice");
      const token = alice.getAccessToken()!;
      const statuses: number[] = [];
      let last: Record<string, unknown> = {};
      for (let i = 0; i < 4; i++) {
        const res = await api(limited.url, "GET", "/_matrix/client/v3/account/whoami", { token });
        statuses.push(res.status);
        last = res.body;
      }
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(statuses.at(-1)).toBe(429);
      expect(last.errcode).toBe("M_LIMIT_EXCEEDED");
      expect(last.retry_after_ms).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it("serves profile, capabilities, push rules, filters, TURN, RTC transports and well-known to matrix-js-sdk", async () => {
    const alice = await registerClient(hs.url, "alice");
    clients.push(alice);
    await alice.setDisplayName("Alice A.");
    expect(await alice.getProfileInfo("@alice:localhost")).toEqual({ displayname: "Alice A." });
    const caps = await alice.getCapabilities();
    expect(caps[Capability.roomVersions]?.default).toBe("10");
    const rules = await alice.getPushRules();
    expect(rules.global.override?.map((r) => r.rule_id)).toContain(RuleId.Master);
    expect(rules.global.underride?.map((r) => r.rule_id)).toContain(RuleId.Message);
    const filterId = (
      await api(hs.url, "POST", "/_matrix/client/v3/user/@alice:localhost/filter", {
        token: alice.getAccessToken()!,
        body: { room: { timeline: { limit: 5 } } },
      })
    ).body.filter_id as string;
    const filter = await api(
      hs.url,
      "GET",
      `/_matrix/client/v3/user/@alice:localhost/filter/${filterId}`,
      {
        token: alice.getAccessToken()!,
      },
    );
    expect(filter.body).toEqual({ room: { timeline: { limit: 5 } } });
    expect(await alice.turnServer()).toEqual({});
    expect(await alice._unstable_getRTCTransports()).toEqual([
      { type: Values.focusTypeMsc3898, user_id: "@focus:localhost", device_id: "FOCUS" },
    ]);
    const stable = await api(hs.url, "GET", "/_matrix/client/v1/rtc/transports", {
      token: alice.getAccessToken()!,
    });
    expect(stable.body.rtc_transports).toHaveLength(1);
    const anonymous = await api(hs.url, "GET", "/_matrix/client/v1/rtc/transports");
    expect(anonymous.status).toBe(401);
    const wellKnown = await api(hs.url, "GET", "/.well-known/matrix/client");
    expect(wellKnown.body).toEqual({
      [WellKnownKey.homeserver]: { base_url: hs.url },
      [RtcTransportsMsc.wellKnownKey]: [
        { type: Values.focusTypeMsc3898, user_id: "@focus:localhost", device_id: "FOCUS" },
      ],
    });
  });

  it("forgets the token on logout", async () => {
    const alice = await registerClient(hs.url, "alice");
    const token = alice.getAccessToken()!;
    await alice.logout();
    const res = await api(hs.url, "GET", "/_matrix/client/v3/account/whoami", { token });
    expect(res.body.errcode).toBe("M_UNKNOWN_TOKEN");
  });

  it("rejects with the reason when its port is taken", async () => {
    const port = Number(new URL(hs.url).port);
    await expect(startHomeserver({ port })).rejects.toMatchObject({ code: "EADDRINUSE" });
  });
});
