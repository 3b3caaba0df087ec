// Simulcast through the demo: a tile shown small gets a lower layer than a tile shown large,
// and changing a tile's size changes the layer it receives (and the stats overlay names it).
import { Values } from "@matrix-focus/protocol";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBrowserSession } from "./lib/browserSession.ts";
import { joinParticipants, remoteStreamTracks, waitForRemoteUsers } from "./lib/callSetup.ts";
import { describeTiles, remoteTiles } from "./lib/demoPage.ts";
import { inboundStats, outboundVideoLayers } from "./lib/peerConnections.ts";
import { startTestStack, type TestStack } from "./lib/stackFixture.ts";
import { waitFor } from "./lib/wait.ts";

const usermedia = Values.purposeUsermedia;

/** Decoded frame height of `userId`'s camera video on `page`, from the browser's own stats. */
async function decodedHeight(page: Page, userId: string): Promise<number> {
  const stream = (await remoteStreamTracks(page)).find(
    (s) => s.userId === userId && s.purpose === usermedia,
  );
  const stats = await inboundStats(page);
  const video = stream?.video.map((id) => stats[id]).find((s) => s !== undefined);
  return video?.frameHeight ?? 0;
}

/** What the client asked the focus for (its own dump), for failure messages. */
async function subscriptions(page: Page): Promise<string> {
  return page.evaluate(() => {
    const hooks = (
      window as unknown as { matrixFocusDemo?: { call?: { dump(): { subscriptions: unknown } } } }
    ).matrixFocusDemo;
    return JSON.stringify(hooks?.call?.dump().subscriptions ?? null);
  });
}

const layerRank: Record<string, number> = { q: 0, h: 1, f: 2 };

const cameraTile = (page: Page, userId: string) =>
  page.locator(`[data-testid="tile"][data-user-id="${userId}"][data-purpose="${usermedia}"]`);

/** The layer the overlay of `userId`'s camera tile names, when its text agrees with data-layer. */
async function overlayLayer(page: Page, userId: string): Promise<string | undefined> {
  const tile = cameraTile(page, userId);
  const layer = (await tile.getAttribute("data-layer")) ?? "";
  const text = (await tile.getByTestId("tile-stats").textContent()) ?? "";
  return layer in layerRank && text.includes(`layer ${layer} (`) ? layer : undefined;
}

/** Waits until the overlay of `userId`'s camera tile shows a layer that `accept` takes. */
function waitForOverlayLayer(
  page: Page,
  userId: string,
  what: string,
  accept: (rank: number) => boolean,
): Promise<string> {
  return waitFor(
    what,
    async () => {
      const layer = await overlayLayer(page, userId);
      return layer !== undefined && accept(layerRank[layer] as number) ? layer : undefined;
    },
    {
      timeoutMs: 10_000,
      describe: async () =>
        JSON.stringify(await cameraTile(page, userId).getByTestId("tile-stats").textContent()),
    },
  );
}

async function tileSize(page: Page, userId: string): Promise<string> {
  const tile = (await remoteTiles(page)).find(
    (t) => t.userId === userId && t.purpose === usermedia,
  );
  return tile?.size ?? "";
}

describe("demo simulcast layers", () => {
  let stack: TestStack;
  const browser = useBrowserSession("demo-layers");

  beforeAll(async () => {
    stack = await startTestStack("demo-layers", { foci: 1 });
    expect(stack.missing, stack.missing.join("; ")).toEqual([]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("sends a small tile a lower layer than a large one and switches when the tile is resized", async () => {
    const { participants } = await joinParticipants(browser, stack.demoUrl, ["alice", "bob"]);
    const [alice, bob] = participants as [(typeof participants)[0], (typeof participants)[0]];
    await waitForRemoteUsers(alice.page, [bob.userId]);
    const describe = async () =>
      `height ${await decodedHeight(alice.page, bob.userId)}; subscriptions ${await subscriptions(
        alice.page,
      )}; Bob sends ${JSON.stringify(await outboundVideoLayers(bob.page))}; ${await describeTiles(
        alice.page,
      )}`;

    // Bob's tile is the large one on Alice's page: it must get at least the middle layer.
    expect(await tileSize(alice.page, bob.userId)).toBe("large");
    const large = await waitFor(
      "Bob's large tile to be decoded at 360 lines or more",
      async () => {
        const h = await decodedHeight(alice.page, bob.userId);
        return h >= 360 ? h : undefined;
      },
      { timeoutMs: 45_000, describe },
    );
    // The overlay names the layer, judged from the decoded size against Bob's full size.
    const largeLayer = await waitForOverlayLayer(
      alice.page,
      bob.userId,
      "the overlay of Bob's large tile to show layer f or h",
      (rank) => rank >= 1,
    );

    // Pinning her own tile makes Bob's tile small: a lower layer must follow.
    await alice.page.locator('[data-testid="tile"][data-local="true"]').click();
    await waitFor("Bob's tile to be small", async () =>
      (await tileSize(alice.page, bob.userId)) === "small" ? true : undefined,
    );
    const small = await waitFor(
      "Bob's small tile to be decoded at a lower layer",
      async () => {
        const h = await decodedHeight(alice.page, bob.userId);
        return h > 0 && h < large ? h : undefined;
      },
      { timeoutMs: 30_000, describe },
    );
    expect(small).toBeLessThan(large);
    const smallLayer = await waitForOverlayLayer(
      alice.page,
      bob.userId,
      `the overlay of Bob's small tile to show a lower layer than ${largeLayer}`,
      (rank) => rank < (layerRank[largeLayer] as number),
    );

    // Unpinning makes Bob large again, and the layer goes back up.
    await alice.page.locator('[data-testid="tile"][data-local="true"]').click();
    const again = await waitFor(
      "Bob's tile to be decoded at a higher layer again",
      async () => {
        const h = await decodedHeight(alice.page, bob.userId);
        return h > small ? h : undefined;
      },
      { timeoutMs: 30_000, describe },
    );
    expect(again).toBeGreaterThan(small);
    await waitForOverlayLayer(
      alice.page,
      bob.userId,
      `the overlay of Bob's tile to show a higher layer than ${smallLayer} again`,
      (rank) => rank > (layerRank[smallLayer] as number),
    );
  });

  it("gives a small tile a lower layer than the large tile next to it", async () => {
    const { participants } = await joinParticipants(browser, stack.demoUrl, [
      "alice",
      "bob",
      "carol",
    ]);
    const [alice, bob, carol] = participants as [
      (typeof participants)[0],
      (typeof participants)[0],
      (typeof participants)[0],
    ];
    await waitForRemoteUsers(alice.page, [bob.userId, carol.userId]);
    // Pin Bob on Alice's page: Bob large, Carol small.
    await alice.page
      .locator(`[data-testid="tile"][data-user-id="${bob.userId}"][data-purpose="${usermedia}"]`)
      .click();
    await waitFor("Bob large and Carol small", async () =>
      (await tileSize(alice.page, bob.userId)) === "large" &&
      (await tileSize(alice.page, carol.userId)) === "small"
        ? true
        : undefined,
    );
    const heights = await waitFor(
      "Bob's large tile decoded at more lines than Carol's small one",
      async () => {
        const large = await decodedHeight(alice.page, bob.userId);
        const small = await decodedHeight(alice.page, carol.userId);
        return small > 0 && large > small ? { large, small } : undefined;
      },
      {
        timeoutMs: 45_000,
        describe: async () =>
          `Bob ${await decodedHeight(alice.page, bob.userId)}, Carol ${await decodedHeight(
            alice.page,
            carol.userId,
          )}; Carol sends ${JSON.stringify(await outboundVideoLayers(carol.page))}`,
      },
    );
    expect(heights.small).toBeLessThan(heights.large);
  });
});
