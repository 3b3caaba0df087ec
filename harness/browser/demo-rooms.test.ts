// The demo's account and room flow against the embedded homeserver: register, create a room,
// share its link, and a second person joins the same room from that link.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBrowserSession } from "./lib/browserSession.ts";
import { createRoom, openRoomLink, register, uniqueUsername } from "./lib/demoPage.ts";
import { startTestStack, type TestStack } from "./lib/stackFixture.ts";
import { waitFor } from "./lib/wait.ts";

/** The part of matrix-js-sdk's client the test reads in the page. */
interface DemoClient {
  getRoom(id: string): { getMembers(): { userId: string; membership?: string }[] } | null;
}

describe("demo rooms", () => {
  let stack: TestStack;
  const browser = useBrowserSession("demo-rooms");

  beforeAll(async () => {
    stack = await startTestStack("demo-rooms", { foci: 0 });
    expect(stack.demoUrl, stack.missing.join("; ")).not.toBe("");
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("registers a user, creates a room and shows the lobby with a live camera preview", async () => {
    const page = await browser.newPage("alice");
    await register(page, stack.demoUrl, uniqueUsername("alice"));
    const link = await createRoom(page, "Standup");
    expect(link).toMatch(/#\/room\/.+/);
    await page.locator('[data-testid="lobby-status"][data-ready="true"]').waitFor();
    const preview = await waitFor("the preview to show camera frames", () =>
      page
        .getByTestId("lobby-preview")
        .evaluate((v: HTMLVideoElement) =>
          v.videoWidth > 0 ? { w: v.videoWidth, h: v.videoHeight } : undefined,
        ),
    );
    expect(preview.w).toBeGreaterThan(0);
    expect(preview.h).toBeGreaterThan(0);
    const cameras = await page.getByTestId("camera-select").locator("option").count();
    const microphones = await page.getByTestId("microphone-select").locator("option").count();
    expect(cameras).toBeGreaterThan(0);
    expect(microphones).toBeGreaterThan(0);
  });

  it("lets a second user join the same room from the shared link", async () => {
    const alice = await browser.newPage("alice");
    await register(alice, stack.demoUrl, uniqueUsername("alice"));
    const link = await createRoom(alice, "Shared");
    const roomId = decodeURIComponent(new URL(link).hash.replace("#/room/", ""));

    const bob = await browser.newPage("bob");
    const bobName = uniqueUsername("bob");
    await register(bob, stack.demoUrl, bobName);
    await openRoomLink(bob, link);

    // Alice's client sees Bob as a joined member of the room she created.
    const membership = () =>
      alice.evaluate(
        ({ roomId, bobName }) => {
          const hooks = (window as unknown as { matrixFocusDemo?: { client?: DemoClient } })
            .matrixFocusDemo;
          const room = hooks?.client?.getRoom(roomId);
          const member = room?.getMembers().find((m) => m.userId.startsWith(`@${bobName}:`));
          return member?.membership ?? "none";
        },
        { roomId, bobName },
      );
    await waitFor("Bob to be a joined member", async () =>
      (await membership()) === "join" ? true : undefined,
    );
    expect(await membership()).toBe("join");
  });
});
