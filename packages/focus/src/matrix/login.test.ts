import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger } from "../observability/logger.ts";
import { FileStore } from "./FileStore.ts";
import { type LoginOptions, logIn } from "./login.ts";
import { MatrixHttp } from "./MatrixHttp.ts";

/** A homeserver stand-in with one account; `valid` lists the access tokens it accepts. */
async function fakeHomeserver(o: { exists: boolean; valid: string[] }) {
  const calls: string[] = [];
  let issued = 0;
  const s = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    calls.push(`${req.method} ${path.replace("/_matrix/client/v3", "")}`);
    const reply = (status: number, body: object) => res.writeHead(status).end(JSON.stringify(body));
    req.resume().on("end", () => {
      if (path.endsWith("/account/whoami")) {
        const token = (req.headers.authorization ?? "").replace("Bearer ", "");
        if (o.valid.includes(token)) return reply(200, { user_id: "@focus:hs", device_id: "DEV" });
        return reply(401, { errcode: "M_UNKNOWN_TOKEN" });
      }
      if (path.endsWith("/login") && !o.exists) return reply(403, { errcode: "M_FORBIDDEN" });
      if (path.endsWith("/login") || path.endsWith("/register")) {
        o.exists = true;
        const token = `new-${++issued}`;
        o.valid.push(token);
        return reply(200, { user_id: "@focus:hs", device_id: "DEV", access_token: token });
      }
      reply(404, { errcode: "M_UNRECOGNIZED" });
    });
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return { url, calls, close: () => new Promise<void>((r) => s.close(() => r())) };
}

async function run(hs: { url: string }, store: FileStore, over: Partial<LoginOptions> = {}) {
  const options: LoginOptions = {
    homeserverUrl: hs.url,
    userId: "@focus:hs",
    password: "pw",
    defaultDeviceId: "DEV",
    register: false,
    ...over,
  };
  return logIn(new MatrixHttp(hs.url), store, options, createLogger({ level: "silent" }));
}

describe("logIn", () => {
  it("registers a missing account when allowed, and reuses the stored login next time", async () => {
    const hs = await fakeHomeserver({ exists: false, valid: [] });
    const store = new FileStore(await mkdtemp(join(tmpdir(), "focus-login-")));
    const first = await run(hs, store, { register: true });
    const second = await run(hs, store, { register: true });
    await hs.close();
    expect(first.accessToken).toBe("new-1");
    expect(second).toEqual(first);
    expect(hs.calls).toEqual(["POST /login", "POST /register", "GET /account/whoami"]);
  });

  it("fails with the homeserver's refusal when registering is not allowed", async () => {
    const hs = await fakeHomeserver({ exists: false, valid: [] });
    const store = new FileStore(await mkdtemp(join(tmpdir(), "focus-login-")));
    await expect(run(hs, store)).rejects.toThrow(/403 M_FORBIDDEN/);
    await hs.close();
  });

  it("logs in again when the stored access token was revoked", async () => {
    const hs = await fakeHomeserver({ exists: true, valid: [] });
    const store = new FileStore(await mkdtemp(join(tmpdir(), "focus-login-")));
    await store.writeLogin({
      homeserverUrl: hs.url,
      userId: "@focus:hs",
      deviceId: "DEV",
      accessToken: "old",
    });
    const login = await run(hs, store);
    await hs.close();
    expect(login.accessToken).toBe("new-1");
    expect(hs.calls).toEqual(["GET /account/whoami", "POST /login"]);
    expect((await store.readLogin())?.accessToken).toBe("new-1");
  });

  it("uses a configured access token without logging in", async () => {
    const hs = await fakeHomeserver({ exists: true, valid: ["configured"] });
    const store = new FileStore(await mkdtemp(join(tmpdir(), "focus-login-")));
    const login = await run(hs, store, { accessToken: "configured", password: undefined });
    await hs.close();
    expect(login).toMatchObject({
      userId: "@focus:hs",
      deviceId: "DEV",
      accessToken: "configured",
    });
    expect(hs.calls).toEqual(["GET /account/whoami"]);
  });
});
