import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../observability/logger.ts";
import { systemClock } from "../util/Clock.ts";
import { MatrixHttp } from "./MatrixHttp.ts";
import { SyncLoop } from "./SyncLoop.ts";
import type { SyncResponse } from "./syncTypes.ts";

/** A homeserver stand-in that answers /sync with the statuses it is given, then with 200. */
async function fakeSyncServer(failures: number[], unknownToken = false, hangFirst = false) {
  const seen: (string | null)[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    seen.push(url.searchParams.get("since"));
    const status = failures[n++];
    if (hangFirst && n === 1) return; // never answers
    if (unknownToken) {
      res.writeHead(401).end(JSON.stringify({ errcode: "M_UNKNOWN_TOKEN", error: "gone" }));
    } else if (status !== undefined) {
      res.writeHead(status).end(JSON.stringify({ errcode: "M_UNKNOWN", error: "down" }));
    } else {
      res.writeHead(200).end(JSON.stringify({ next_batch: `t${n}` }));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("SyncLoop", () => {
  let stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops) await s();
    stops = [];
  });

  it("retries failed syncs with back-off, then resumes and stores each token", async () => {
    const hs = await fakeSyncServer([502, 503, 500]);
    const saved: string[] = [];
    const health: boolean[] = [];
    const responses: [SyncResponse, boolean][] = [];
    const loop = new SyncLoop({
      http: new MatrixHttp(hs.url, "token"),
      clock: systemClock,
      logger: createLogger({ level: "silent" }),
      timeoutMs: 0,
      backoff: { initialMs: 5, maxMs: 20, factor: 2, jitter: 0 },
      since: "stored",
      onSync: async (res, first) => {
        responses.push([res, first]);
      },
      saveToken: async (t) => {
        saved.push(t);
      },
      onHealthChanged: (h) => health.push(h),
    });
    stops.push(() => loop.stop(), hs.close);
    loop.start();
    await expect.poll(() => saved.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    await loop.stop();
    expect(hs.seen.slice(0, 5)).toEqual(["stored", "stored", "stored", "stored", "t4"]);
    expect(saved.slice(0, 2)).toEqual(["t4", "t5"]);
    expect(responses[0]?.[1]).toBe(true);
    expect(responses[1]?.[1]).toBe(false);
    expect(health).toEqual([true, false]);
  });

  it("abandons a sync the homeserver never answers and tries again", async () => {
    const hs = await fakeSyncServer([], false, true);
    const saved: string[] = [];
    const errors: unknown[] = [];
    const loop = new SyncLoop({
      http: new MatrixHttp(hs.url, "token"),
      clock: systemClock,
      logger: createLogger({ level: "silent" }),
      timeoutMs: 0,
      requestTimeoutMs: 100,
      backoff: { initialMs: 5, maxMs: 20, factor: 2, jitter: 0 },
      since: "stored",
      onSync: async () => {},
      saveToken: async (t) => {
        saved.push(t);
      },
      onError: (err) => errors.push(err),
    });
    stops.push(() => loop.stop(), hs.close);
    loop.start();
    await expect.poll(() => saved.length, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    expect(errors).toHaveLength(1);
    expect(hs.seen.slice(0, 2)).toEqual(["stored", "stored"]);
  });

  it("stops and reports when the access token is rejected", async () => {
    const hs = await fakeSyncServer([], true);
    let fatal: unknown;
    const loop = new SyncLoop({
      http: new MatrixHttp(hs.url, "token"),
      clock: systemClock,
      logger: createLogger({ level: "silent" }),
      timeoutMs: 0,
      backoff: { initialMs: 5, maxMs: 20, factor: 2, jitter: 0 },
      since: undefined,
      onSync: async () => {},
      saveToken: async () => {},
      onFatal: (err) => {
        fatal = err;
      },
    });
    stops.push(() => loop.stop(), hs.close);
    loop.start();
    await expect.poll(() => fatal, { timeout: 5000 }).toBeDefined();
    expect(hs.seen).toHaveLength(1);
    expect(loop.syncing).toBe(false);
  });
});
