// Two Chromium participants through the in-process focus: the subscriber's Chrome accepts the
// focus's offers (msid, header extension ids, RTX), decodes the forwarded video, and the
// decoded size follows the size it asks for (simulcast layer switch on a keyframe).
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

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("Chromium subscribers", () => {
  it("decode forwarded video and get the layer that fits the size they ask for", async () => {
    const pages = new Map<string, PublisherPage>();
    const manager = new ConferenceManager({
      focus,
      signalling: {
        sendCallEvent: async (to, event) => pages.get(to.deviceId)?.receiveCallEvent(event),
      },
    });
    const open = async (name: string) => {
      const user = { userId: `@${name}:localhost`, deviceId: name.toUpperCase() };
      const p = new PublisherPage(await env.browser.newPage(), user, conference, (event) =>
        manager.handle({ kind: "callEventReceived", conference, sender: user, event }),
      );
      pages.set(user.deviceId, p);
      await p.join(env.url);
      return p;
    };
    try {
      const alice = await open("alice");
      const bob = await open("bob");
      await until("bob sees alice's stream", async () =>
        (await bob.metadata())[alice.streamId] ? true : undefined,
      );
      await bob.subscribe([
        { stream_id: alice.streamId, track_id: alice.videoTrackId, width: 320, height: 180 },
      ]);
      const small = await until("bob decodes alice's video", async () => {
        const s = (await bob.receiveStats()).find((x) => x.framesDecoded > 10);
        return s?.frameWidth !== undefined ? s : undefined;
      });
      expect(small.frameWidth).toBe(320);
      const received = await bob.received();
      expect(received.some((r) => r.kind === "video" && r.streamId === alice.streamId)).toBe(true);
      await bob.subscribe([
        { stream_id: alice.streamId, track_id: alice.videoTrackId, width: 1280, height: 720 },
      ]);
      const big = await until("the decoded size follows the resize", async () =>
        (await bob.receiveStats()).find((x) => x.frameWidth === 1280),
      );
      expect(big.framesDecoded).toBeGreaterThan(small.framesDecoded);
      expect(manager.stats().layerSwitches).toBeGreaterThanOrEqual(1);
      // The focus re-offered bob's connection to add alice's tracks: bob must keep all layers.
      const bobLayers = await until(
        "bob still sends three layers after renegotiation",
        async () => {
          const layers = (await bob.sendStats()).layers;
          return Object.values(layers).filter((l) => l.active !== false && (l.frameWidth ?? 0) > 0)
            .length === 3
            ? layers
            : undefined;
        },
        5000,
      );
      expect(Object.keys(bobLayers).sort()).toEqual(["f", "h", "q"]);
    } finally {
      await manager.close();
      for (const p of pages.values()) await p.page.close();
    }
  });
});
