import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../clock.ts";
import type { Context } from "../context.ts";
import { handleRequest } from "./handle.ts";
import { Prefixes, Router } from "./router.ts";

describe("request handling", () => {
  let server: Server | undefined;

  afterEach(async () => {
    await new Promise((r) => server?.close(r));
  });

  it("turns an exception in a handler into a 500 M_UNKNOWN with a log line and keeps serving", async () => {
    const logged: unknown[] = [];
    const logger = pino(
      { level: "error" },
      { write: (line: string) => logged.push(JSON.parse(line)) },
    );
    const ctx = {
      logger,
      clock: systemClock,
      config: { maxBodyBytes: 1024 },
    } as unknown as Context;
    const router = new Router();
    router.add("GET", Prefixes.client, "/boom", "none", () => {
      throw new TypeError("broken handler");
    });
    router.add("GET", Prefixes.client, "/fine/:x", "none", (req) => ({ x: req.params.x }));
    const shutdown = new AbortController();
    server = createServer(
      (req, res) => void handleRequest(ctx, router, undefined, shutdown.signal, req, res),
    );
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_matrix/client`;

    const boom = await fetch(`${base}/v3/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.json()).toMatchObject({ errcode: "M_UNKNOWN" });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      msg: "request handler failed",
      path: "/_matrix/client/v3/boom",
    });

    const fine = await fetch(`${base}/r0/fine/a%2Fb`);
    expect(await fine.json()).toEqual({ x: "a/b" });
    const wrongMethod = await fetch(`${base}/v3/fine/x`, { method: "POST" });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ errcode: "M_UNRECOGNIZED" });
  });
});
