import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { HangupReason, Values } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { MatrixHttp } from "./MatrixHttp.ts";
import { MatrixSignalling } from "./MatrixSignalling.ts";

async function server(statuses: number[]) {
  const requests: { url: string; body: unknown }[] = [];
  const s = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => {
      text += c;
    });
    req.on("end", () => {
      requests.push({ url: req.url ?? "", body: JSON.parse(text) });
      const status = statuses.shift() ?? 200;
      res.writeHead(status).end(status === 200 ? "{}" : JSON.stringify({ errcode: "M_UNKNOWN" }));
    });
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((r) => s.close(() => r())) };
}

const hangup = {
  kind: "hangup" as const,
  content: {
    call_id: "c1",
    conf_id: "conf",
    party_id: "FOCUS",
    version: Values.callVersion,
    device_id: "FOCUS",
    sender_session_id: "s",
    dest_session_id: "d",
    reason: HangupReason.userHangup,
  },
};

describe("MatrixSignalling", () => {
  it("sends to one device and retries a server error under the same transaction id", async () => {
    const hs = await server([502]);
    const signalling = new MatrixSignalling({
      http: new MatrixHttp(hs.url, "t"),
      variant: "stable",
      backoffInitialMs: 1,
    });
    await signalling.sendCallEvent({ userId: "@a:hs", deviceId: "DEV" }, hangup);
    await hs.close();
    expect(hs.requests).toHaveLength(2);
    expect(hs.requests[0]?.url).toBe(hs.requests[1]?.url);
    expect(hs.requests[0]?.body).toEqual({
      messages: {
        "@a:hs": {
          DEV: expect.objectContaining({ call_id: "c1", reason: HangupReason.userHangup }),
        },
      },
    });
  });

  it("gives up at once on a refusal", async () => {
    const hs = await server([403]);
    const signalling = new MatrixSignalling({
      http: new MatrixHttp(hs.url, "t"),
      variant: "stable",
    });
    await expect(
      signalling.sendCallEvent({ userId: "@a:hs", deviceId: "DEV" }, hangup),
    ).rejects.toThrow(/403/);
    await hs.close();
    expect(hs.requests).toHaveLength(1);
  });
});
