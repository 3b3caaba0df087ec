// When the focus process dies, the demo shows that the call lost its connection, and the call
// recovers by itself once the focus is back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBrowserSession } from "./lib/browserSession.ts";
import { joinParticipants, type Participant, waitForRemoteUsers } from "./lib/callSetup.ts";
import { callState, waitForCallState } from "./lib/demoPage.ts";
import { waitForMediaFrom } from "./lib/mediaChecks.ts";
import { startTestStack, type TestStack } from "./lib/stackFixture.ts";
import { waitFor } from "./lib/wait.ts";

describe("demo with a focus that dies", () => {
  let stack: TestStack;
  const browser = useBrowserSession("demo-focus-restart");

  beforeAll(async () => {
    stack = await startTestStack("demo-focus-restart", { foci: 1 });
    expect(stack.missing, stack.missing.join("; ")).toEqual([]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("reports the lost focus on every page and recovers when the focus is back", {
    timeout: 240_000,
  }, async () => {
    const { participants } = await joinParticipants(browser, stack.demoUrl, ["alice", "bob"]);
    const [alice, bob] = participants as [Participant, Participant];
    await waitForRemoteUsers(alice.page, [bob.userId]);
    await waitForMediaFrom(alice.page, [bob.userId]);

    const focus = stack.foci[0]!;
    await focus.kill();
    for (const p of [alice, bob]) {
      await waitFor(
        `${p.name} to report the lost focus`,
        async () => {
          const s = await callState(p.page);
          return s === "reconnecting" || s === "failed" ? s : undefined;
        },
        { timeoutMs: 90_000, describe: () => callState(p.page) },
      );
    }

    await focus.start();
    for (const p of [alice, bob]) await waitForCallState(p.page, "connected", 90_000);
    await waitForRemoteUsers(alice.page, [bob.userId]);
    await waitForRemoteUsers(bob.page, [alice.userId]);
    const atAlice = await waitForMediaFrom(alice.page, [bob.userId], 60_000);
    expect(atAlice[0]?.framesDecodedGain).toBeGreaterThan(0);
    const atBob = await waitForMediaFrom(bob.page, [alice.userId], 60_000);
    expect(atBob[0]?.framesDecodedGain).toBeGreaterThan(0);
  });
});
