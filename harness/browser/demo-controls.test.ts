// What one participant does shows on the others: mute, screen share, leaving.
import { Values } from "@matrix-focus/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBrowserSession } from "./lib/browserSession.ts";
import { joinParticipants, type Participant, waitForRemoteUsers } from "./lib/callSetup.ts";
import { describeTiles, remoteTiles, type TileView } from "./lib/demoPage.ts";
import { startTestStack, type TestStack } from "./lib/stackFixture.ts";
import { waitFor } from "./lib/wait.ts";

const usermedia = Values.purposeUsermedia;
const screenshare = Values.purposeScreenshare;

async function tileOf(p: Participant, userId: string, purpose: string = usermedia) {
  return (await remoteTiles(p.page)).find((t) => t.userId === userId && t.purpose === purpose);
}

async function waitForTile(
  p: Participant,
  what: string,
  userId: string,
  test: (t: TileView | undefined) => boolean,
  options: { purpose?: string; timeoutMs?: number } = {},
): Promise<number> {
  const started = Date.now();
  await waitFor(
    what,
    async () => (test(await tileOf(p, userId, options.purpose)) ? true : undefined),
    { timeoutMs: options.timeoutMs, describe: () => describeTiles(p.page) },
  );
  return Date.now() - started;
}

describe("demo call controls", () => {
  let stack: TestStack;
  const browser = useBrowserSession("demo-controls");

  beforeAll(async () => {
    stack = await startTestStack("demo-controls", { foci: 1 });
    expect(stack.missing, stack.missing.join("; ")).toEqual([]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function pair(): Promise<[Participant, Participant]> {
    const { participants } = await joinParticipants(browser, stack.demoUrl, ["alice", "bob"]);
    const [alice, bob] = participants as [Participant, Participant];
    await waitForRemoteUsers(bob.page, [alice.userId]);
    await waitForRemoteUsers(alice.page, [bob.userId]);
    return [alice, bob];
  }

  it("shows a muted microphone and camera on the other participant within 2 seconds", async () => {
    const [alice, bob] = await pair();
    expect((await tileOf(bob, alice.userId))?.audioMuted).toBe(false);

    await alice.page.getByTestId("toggle-mic").click();
    const micMs = await waitForTile(bob, "Alice's mic shown muted", alice.userId, (t) =>
      Boolean(t?.audioMuted),
    );
    expect(micMs).toBeLessThanOrEqual(2000);

    await alice.page.getByTestId("toggle-camera").click();
    const camMs = await waitForTile(bob, "Alice's camera shown off", alice.userId, (t) =>
      Boolean(t?.videoMuted),
    );
    expect(camMs).toBeLessThanOrEqual(2000);

    await alice.page.getByTestId("toggle-mic").click();
    const unmuteMs = await waitForTile(bob, "Alice's mic shown on", alice.userId, (t) =>
      Boolean(t && !t.audioMuted),
    );
    expect(unmuteMs).toBeLessThanOrEqual(2000);
  });

  it("shows a screen share as its own tile and removes it when sharing stops", async () => {
    const [alice, bob] = await pair();
    // Headless Chromium has no screen to capture: share a canvas test pattern instead.
    await alice.page.evaluate(() =>
      (
        window as unknown as { matrixFocusDemo: { shareTestPattern(): Promise<void> } }
      ).matrixFocusDemo.shareTestPattern(),
    );
    await waitForTile(
      bob,
      "Alice's screen share tile decoding frames",
      alice.userId,
      (t) => (t?.framesDecoded ?? 0) > 0 && (t?.videoWidth ?? 0) > 0,
      { purpose: screenshare },
    );
    await alice.page
      .locator('[data-testid="toggle-screenshare"][aria-pressed="true"]')
      .waitFor({ timeout: 5000 });

    await alice.page.getByTestId("toggle-screenshare").click();
    await waitForTile(bob, "Alice's screen share tile gone", alice.userId, (t) => t === undefined, {
      purpose: screenshare,
    });
    // Her camera tile stays.
    expect(await tileOf(bob, alice.userId)).toBeDefined();
  });

  it("removes a participant who leaves from the others' grid", async () => {
    const [alice, bob] = await pair();
    await bob.page.getByTestId("leave-call").click();
    await bob.page.getByTestId("left-view").waitFor();
    await waitForTile(alice, "Bob's tile gone", bob.userId, (t) => t === undefined, {
      timeoutMs: 15_000,
    });
    expect((await remoteTiles(alice.page)).filter((t) => t.userId === bob.userId)).toEqual([]);
  });
});
