// The focus when its homeserver goes away and comes back: /health turns 503, sync errors are
// counted, and once the homeserver is back the focus syncs again and handles new calls.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Focus, validateConfig } from "@matrix-focus/focus";
import { type RunningHomeserver, startHomeserver } from "@matrix-focus/homeserver";
import { CallEventNames, HangupReason } from "@matrix-focus/protocol";
import { AuthType, createClient } from "matrix-js-sdk";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";

let hs: RunningHomeserver | undefined;
let focus: Focus | undefined;
let dir: string | undefined;

afterAll(async () => {
  await focus?.close();
  await hs?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("focus and an unreliable homeserver", () => {
  it("reports unhealthy while the homeserver is away and serves calls again once it is back", async () => {
    dir = await mkdtemp(join(tmpdir(), "focus-reconnect-"));
    const databasePath = join(dir, "hs.sqlite");
    const silent = pino({ level: "silent" });
    hs = await startHomeserver({ port: 0, databasePath, logger: silent });
    const port = hs.port;
    focus = await Focus.start({
      config: validateConfig({
        homeserverUrl: hs.url,
        username: "focus",
        password: "pw",
        register: true,
        dataDir: join(dir, "focus"),
        metrics: { port: 0 },
        sync: { timeoutMs: 200, backoffInitialMs: 50, backoffMaxMs: 200 },
        logLevel: "silent",
      }),
    });
    const health = async () => (await fetch(`${focus?.httpUrl}/health`)).status;
    await expect.poll(health, { timeout: 10_000 }).toBe(200);

    await hs.close();
    await expect.poll(health, { timeout: 10_000 }).toBe(503);
    const errors = (await focus.metrics.syncErrors.get()).values[0]?.value ?? 0;
    expect(errors).toBeGreaterThan(0);

    hs = await startHomeserver({ port, databasePath, logger: silent });
    await expect.poll(health, { timeout: 10_000 }).toBe(200);

    // A caller who is in no room of the focus is refused: the focus reads messages again.
    const reg = await createClient({ baseUrl: hs.url }).registerRequest({
      username: "eve",
      password: "pw",
      auth: { type: AuthType.Dummy },
    });
    const deviceId = reg.device_id as string;
    const eve = createClient({
      baseUrl: hs.url,
      userId: reg.user_id,
      deviceId,
      accessToken: reg.access_token as string,
    });
    const me = focus.me;
    const invite = {
      call_id: "after-outage",
      conf_id: "c",
      party_id: deviceId,
      version: "1",
      device_id: deviceId,
      sender_session_id: "s",
      dest_session_id: "",
      offer: { type: "offer", sdp: "v=0\r\n" },
      lifetime: 60_000,
    };
    await eve.sendToDevice(
      CallEventNames.invite.stable,
      new Map([[me.userId, new Map([[me.deviceId, invite]])]]),
    );
    const refused = async () => {
      const text = await (await fetch(`${focus?.httpUrl}/metrics`)).text();
      return text.includes(
        `matrix_focus_calls_refused_total{reason="${HangupReason.unknownConference}"} 1`,
      );
    };
    await expect.poll(refused, { timeout: 10_000 }).toBe(true);
  }, 60_000);
});
