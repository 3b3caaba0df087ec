// A Chromium publisher (fake camera 1280x720, simulcast q/h/f, no transport-cc) sends its
// top layer to the focus within 15 s, thanks to the REMB the focus sends.
// Signalling between the page and the in-process ConferenceManager goes through playwright.
import { ConferenceManager } from "@matrix-focus/focus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PublisherPage, startPublisherBrowser } from "./pages/publisherPage.ts";

const focus = { userId: "@focus:localhost", deviceId: "FOCUSDEV" };
const conference = { roomId: "!room:localhost", confId: "conf1" };
let env: Awaited<ReturnType<typeof startPublisherBrowser>>;

beforeAll(async () => {
  env = await startPublisherBrowser();
});
afterAll(async () => {
  await env?.close();
});

describe("a Chromium publisher", () => {
  it("sends its top simulcast layer to the focus within 15 seconds", async () => {
    const page = await env.browser.newPage();
    let chrome: PublisherPage | undefined;
    const manager = new ConferenceManager({
      focus,
      signalling: { sendCallEvent: async (_to, event) => chrome?.receiveCallEvent(event) },
    });
    const user = { userId: "@chrome:localhost", deviceId: "CHROMEDEV" };
    chrome = new PublisherPage(page, user, conference, (event) =>
      manager.handle({ kind: "callEventReceived", conference, sender: user, event }),
    );
    const start = Date.now();
    await chrome.join(env.url);
    const timeline: string[] = [];
    let topLayerAt: number | undefined;
    while (Date.now() - start < 15_000) {
      await new Promise((r) => setTimeout(r, 1000));
      const dump = manager.dump()[0];
      const pub = dump?.publications.find((p) => p.kind === "video");
      const active =
        pub?.layers.filter((l) => l.active).map((l) => `${l.rid}:${l.width ?? "?"}`) ?? [];
      const stats = await chrome.sendStats();
      const sent = Object.entries(stats.layers)
        .map(([rid, l]) => `${rid}:${l.frameWidth ?? "-"}/${l.limitation}`)
        .join(" ");
      const bwe = Math.round((stats.availableOutgoingBitrate ?? 0) / 1000);
      const remb = Math.round((dump?.participants[0]?.rembBps ?? 0) / 1000);
      timeline.push(
        `${Math.round((Date.now() - start) / 1000)}s focus[${active}] chrome[${sent}] bwe=${bwe}kb/s remb=${remb}kb/s`,
      );
      if (pub?.layers.some((l) => l.rid === "f" && l.active && (l.width ?? 0) >= 1280)) {
        topLayerAt = Date.now() - start;
        break;
      }
    }
    console.log(`publisher layers:\n${timeline.join("\n")}`);
    await manager.close();
    await page.close();
    expect(chrome.answerSdp).toMatch(/a=rtcp-fb:\d+ goog-remb/);
    expect(chrome.answerSdp).not.toMatch(/transport-cc|transport-wide-cc/);
    expect(topLayerAt, `top layer never arrived:\n${timeline.join("\n")}`).toBeDefined();
    expect(topLayerAt).toBeLessThan(15_000);
  });
});
