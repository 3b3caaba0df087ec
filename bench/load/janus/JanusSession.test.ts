import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { JanusSession } from "./JanusSession.ts";

/** A tiny stand-in for Janus's HTTP API: sync replies, async plugin events via long-poll. */
function fakeJanus(
  onMessage: (body: Record<string, unknown>, emit: (e: object) => void) => object,
) {
  const queue: object[] = [];
  const polls: ((events: object[]) => void)[] = [];
  const emit = (e: object) => {
    const p = polls.shift();
    if (p) p([e]);
    else queue.push(e);
  };
  const server = createServer((req, res) => {
    const reply = (o: object) => res.end(JSON.stringify(o));
    if (req.method === "GET") {
      if (queue.length) return reply(queue.splice(0));
      polls.push((events) => reply(events));
      return;
    }
    let raw = "";
    req.on("data", (c: Buffer) => {
      raw += c.toString();
    });
    req.on("end", () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      if (body.janus === "create") return reply({ janus: "success", data: { id: 7 } });
      if (body.janus === "attach") return reply({ janus: "success", data: { id: 9 } });
      if (body.janus === "destroy") {
        for (const p of polls.splice(0)) p([]);
        return reply({ janus: "success" });
      }
      reply(onMessage(body, emit));
    });
  });
  return server;
}

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

async function listen(s: Server): Promise<string> {
  server = s;
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/janus`;
}

describe("JanusSession", () => {
  it("returns a synchronous plugin reply directly", async () => {
    const url = await listen(
      fakeJanus(() => ({ janus: "success", plugindata: { plugin: "p", data: { room: 5 } } })),
    );
    const s = await JanusSession.create(url);
    const h = await s.attach("p");
    expect((await s.message(h, { request: "create" })).data).toEqual({ room: 5 });
    await s.close();
  });

  it("matches an asynchronous event with its JSEP to the request's transaction", async () => {
    const url = await listen(
      fakeJanus((body, emit) => {
        setTimeout(() => {
          emit({ janus: "event", transaction: "other", plugindata: { plugin: "p", data: {} } });
          emit({
            janus: "event",
            transaction: body.transaction,
            plugindata: { plugin: "p", data: { configured: "ok" } },
            jsep: { type: "answer", sdp: "v=0" },
          });
        }, 20);
        return { janus: "ack" };
      }),
    );
    const s = await JanusSession.create(url);
    const r = await s.message(9, { request: "publish" }, { type: "offer", sdp: "x" });
    expect(r.data).toEqual({ configured: "ok" });
    expect(r.jsep?.sdp).toBe("v=0");
    await s.close();
  });

  it("turns a plugin error into a rejected promise that names it", async () => {
    const url = await listen(
      fakeJanus(() => ({
        janus: "success",
        plugindata: { plugin: "p", data: { error: "No such room", error_code: 426 } },
      })),
    );
    const s = await JanusSession.create(url);
    await expect(s.message(9, { request: "join" })).rejects.toThrow(/No such room \(426\)/);
    await s.close();
  });
});
