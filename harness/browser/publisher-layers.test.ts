// A Chromium publisher (fake camera 1280x720, simulcast q/h/f, no transport-cc) sends its
// top layer to the focus within 15 s, thanks to the REMB the focus sends.
// Signalling between the page and the in-process ConferenceManager goes through playwright.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CallEvent, Values } from "@matrix-focus/protocol";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The focus package does not export ConferenceManager from its entry point yet.
import { ConferenceManager } from "../../packages/focus/src/conference/ConferenceManager.ts";

const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
  "--allow-loopback-in-peer-connection",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];
const focus = { userId: "@focus:localhost", deviceId: "FOCUSDEV" };
const user = { userId: "@chrome:localhost", deviceId: "CHROMEDEV" };
const conference = { roomId: "!room:localhost", confId: "conf1" };

let server: Server;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  const html = readFileSync(new URL("./pages/publisher.html", import.meta.url));
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(html);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

type Stats = {
  layers: Record<string, { frameWidth?: number; bytesSent?: number; limitation?: string }>;
  availableOutgoingBitrate?: number;
};

describe("a Chromium publisher", () => {
  it("sends its top simulcast layer to the focus within 15 seconds", async () => {
    const page: Page = await browser.newPage();
    const common = {
      call_id: "call1",
      conf_id: conference.confId,
      party_id: user.deviceId,
      version: Values.callVersion,
      device_id: user.deviceId,
      sender_session_id: "chrome-session",
      dest_session_id: "",
      room_id: conference.roomId,
    };
    let seq = 0;
    let answerSdp = "";
    const manager = new ConferenceManager({
      focus,
      signalling: {
        sendCallEvent: async (_to, event: CallEvent) => {
          if (event.kind === "answer") answerSdp = event.content.answer.sdp;
          if (event.kind === "answer")
            await page.evaluate(
              (sdp) =>
                (window as never as { acceptAnswer(s: string): Promise<void> }).acceptAnswer(sdp),
              event.content.answer.sdp,
            );
          if (event.kind === "candidates") {
            for (const c of event.content.candidates) {
              if (c.candidate)
                await page.evaluate(
                  (x) =>
                    (window as never as { addCandidate(c: unknown): Promise<void> }).addCandidate(
                      x,
                    ),
                  c,
                );
            }
          }
        },
      },
    });
    const toFocus = (event: CallEvent) =>
      manager.handle({ kind: "callEventReceived", conference, sender: user, event });
    await page.exposeBinding(
      "candidateGathered",
      (_src, c: { candidate: string; sdpMid?: string; sdpMLineIndex?: number } | null) => {
        if (!c) return;
        toFocus({
          kind: "candidates",
          content: {
            ...common,
            seq: seq++,
            candidates: [
              {
                candidate: c.candidate,
                sdpMid: c.sdpMid ?? null,
                sdpMLineIndex: c.sdpMLineIndex ?? null,
              },
            ],
          },
        });
      },
    );
    await page.goto(baseUrl);
    const offer = await page.evaluate(
      (label) =>
        (
          window as never as {
            startPublisher(o: {
              dataChannelLabel: string;
            }): Promise<{ sdp: string; streamId: string; videoTrackId: string }>;
          }
        ).startPublisher({ dataChannelLabel: label }),
      Values.dataChannelLabel,
    );
    expect(offer.sdp).toMatch(/a=simulcast:send q;h;f/);
    const start = Date.now();
    toFocus({
      kind: "invite",
      content: {
        ...common,
        seq: seq++,
        offer: { type: "offer", sdp: offer.sdp },
        lifetime: 60_000,
      },
    });

    const timeline: string[] = [];
    let topLayerAt: number | undefined;
    while (Date.now() - start < 15_000) {
      await new Promise((r) => setTimeout(r, 1000));
      const pub = manager.dump()[0]?.publications.find((p) => p.kind === "video");
      const active =
        pub?.layers.filter((l) => l.active).map((l) => `${l.rid}${l.width ? `:${l.width}` : ""}`) ??
        [];
      const stats = (await page.evaluate(() =>
        (window as never as { sendStats(): Promise<Stats> }).sendStats(),
      )) as Stats;
      const remb = manager.dump()[0]?.participants[0]?.rembBps ?? 0;
      const sent = Object.entries(stats.layers)
        .map(([rid, l]) => `${rid}:${l.frameWidth ?? "-"}/${l.limitation}`)
        .join(" ");
      timeline.push(
        `${((Date.now() - start) / 1000).toFixed(0)}s focus[${active.join(",")}] chrome[${sent}] bwe=${Math.round((stats.availableOutgoingBitrate ?? 0) / 1000)}kb/s remb=${Math.round(remb / 1000)}kb/s`,
      );
      if (pub?.layers.some((l) => l.rid === "f" && l.active && (l.width ?? 0) >= 1280)) {
        topLayerAt = Date.now() - start;
        break;
      }
    }
    console.log(`publisher layers:\n${timeline.join("\n")}`);
    await manager.close();
    await page.close();
    expect(answerSdp).toMatch(/a=rtcp-fb:\d+ goog-remb/);
    expect(answerSdp).not.toMatch(/transport-cc|transport-wide-cc/);
    expect(topLayerAt, `top layer never arrived:\n${timeline.join("\n")}`).toBeDefined();
    expect(topLayerAt).toBeLessThan(15_000);
  });
});
