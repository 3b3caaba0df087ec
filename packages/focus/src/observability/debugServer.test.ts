import { afterEach, describe, expect, it } from "vitest";
import { type RunningDebugServer, startDebugServer } from "./debugServer.ts";
import { createLogger } from "./logger.ts";

describe("debug HTTP server", () => {
  let server: RunningDebugServer | undefined;
  afterEach(async () => {
    await server?.close();
  });
  const logger = createLogger({ level: "silent" });

  it("serves the current state as JSON on /conferences, on 127.0.0.1 only", async () => {
    let state: unknown = { conferences: [] };
    server = await startDebugServer({ port: 0, state: () => state, logger });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${server.url}/conferences`)).json()).toEqual({ conferences: [] });
    state = { conferences: [{ roomId: "!r:hs" }] };
    expect(await (await fetch(`${server.url}/conferences`)).json()).toEqual(state);
  });

  it("answers 404 for other paths and 405 for other methods", async () => {
    server = await startDebugServer({ port: 0, state: () => ({}), logger });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.url}/conferences`, { method: "POST" })).status).toBe(405);
  });

  it("answers 500 when the state cannot be serialised", async () => {
    server = await startDebugServer({ port: 0, state: () => ({ n: 1n }), logger });
    expect((await fetch(`${server.url}/conferences`)).status).toBe(500);
  });
});
