// A stack with two foci: the lobby lets a participant prefer either one, and people on
// different foci see each other through the link between the foci.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBrowserSession } from "./lib/browserSession.ts";
import { joinParticipants, type Participant, waitForRemoteUsers } from "./lib/callSetup.ts";
import { waitForMediaFrom } from "./lib/mediaChecks.ts";
import { startTestStack, type TestStack } from "./lib/stackFixture.ts";
import { waitFor } from "./lib/wait.ts";

async function focusShown(page: Page): Promise<string> {
  return (await page.getByTestId("call-focus").textContent()) ?? "";
}

describe("demo with two foci", () => {
  let stack: TestStack;
  const browser = useBrowserSession("demo-two-foci");

  beforeAll(async () => {
    stack = await startTestStack("demo-two-foci", { foci: 2 });
    expect(stack.missing, stack.missing.join("; ")).toEqual([]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("calls through the second focus when both participants prefer it in the lobby", async () => {
    const second = stack.foci[1]!.userId;
    const { participants } = await joinParticipants(
      browser,
      stack.demoUrl,
      ["alice", "bob"],
      [second, second],
    );
    const [alice, bob] = participants as [Participant, Participant];
    for (const p of [alice, bob]) {
      await waitFor(`${p.name} to show the second focus`, async () =>
        (await focusShown(p.page)).includes(second) ? true : undefined,
      );
    }
    await waitForRemoteUsers(alice.page, [bob.userId]);
    const received = await waitForMediaFrom(alice.page, [bob.userId]);
    expect(received[0]?.framesDecodedGain).toBeGreaterThan(0);
  });

  // Members on different foci see each other only through a link between the foci (cascading).
  it("shows participants on different foci to each other", async () => {
    const [first, second] = [stack.foci[0]!.userId, stack.foci[1]!.userId];
    const { participants } = await joinParticipants(
      browser,
      stack.demoUrl,
      ["alice", "bob"],
      [first, second],
    );
    const [alice, bob] = participants as [Participant, Participant];
    expect(await focusShown(alice.page)).toContain(first);
    expect(await focusShown(bob.page)).toContain(second);
    await waitForRemoteUsers(alice.page, [bob.userId]);
    await waitForRemoteUsers(bob.page, [alice.userId]);
    await waitForMediaFrom(alice.page, [bob.userId]);
    await waitForMediaFrom(bob.page, [alice.userId]);
  });

  // The client notices the dead focus within seconds (its connection stays disconnected past a
  // short grace period) and, another focus being there, moves to it at once, so both have
  // moved and media flows again well within this budget (about 12-13 s measured here; 21-24 s
  // when the dead focus was retried first, 50-65 s before the grace period).
  const recoveryBudgetMs = 20_000;

  it("moves the call to the other focus within 20 s when its focus dies for good", {
    timeout: 120_000,
  }, async () => {
    const [first, second] = [stack.foci[0]!, stack.foci[1]!];
    // No preference in the lobby: the client knows both foci the homeserver advertises and
    // starts on the first one.
    const { participants } = await joinParticipants(browser, stack.demoUrl, ["alice", "bob"]);
    const [alice, bob] = participants as [Participant, Participant];
    for (const p of [alice, bob]) expect(await focusShown(p.page)).toContain(first.userId);
    await waitForRemoteUsers(alice.page, [bob.userId]);
    await first.kill();
    const killedAt = Date.now();
    const budgetLeft = () => Math.max(1_000, recoveryBudgetMs - (Date.now() - killedAt));
    try {
      for (const p of [alice, bob]) {
        await waitFor(
          `${p.name} to move to the second focus`,
          async () => ((await focusShown(p.page)).includes(second.userId) ? true : undefined),
          { timeoutMs: budgetLeft(), describe: () => focusShown(p.page) },
        );
      }
      await waitForRemoteUsers(alice.page, [bob.userId], budgetLeft());
      const received = await waitForMediaFrom(alice.page, [bob.userId], budgetLeft());
      expect(received[0]?.framesDecodedGain).toBeGreaterThan(0);
      const recoveredMs = Date.now() - killedAt;
      console.log(`media flowed again through the second focus ${recoveredMs} ms after the kill`);
      expect(recoveredMs).toBeLessThan(recoveryBudgetMs);
    } finally {
      // Later tests in this file expect both foci.
      await first.start();
    }
  });
});
