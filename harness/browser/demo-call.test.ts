// People in one call through the demo UI see and hear each other through the focus.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBrowserSession } from "./lib/browserSession.ts";
import { joinParticipants, waitForRemoteUsers } from "./lib/callSetup.ts";
import { remoteTiles } from "./lib/demoPage.ts";
import { waitForMediaFrom } from "./lib/mediaChecks.ts";
import { startTestStack, type TestStack } from "./lib/stackFixture.ts";
import { waitFor } from "./lib/wait.ts";

describe("demo call", () => {
  let stack: TestStack;
  const browser = useBrowserSession("demo-call");

  beforeAll(async () => {
    stack = await startTestStack("demo-call", { foci: 1 });
    expect(stack.missing, stack.missing.join("; ")).toEqual([]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("shows two participants each other's video and plays each other's audio", async () => {
    const { participants } = await joinParticipants(browser, stack.demoUrl, ["alice", "bob"]);
    const [alice, bob] = participants as [(typeof participants)[0], (typeof participants)[0]];
    await waitForRemoteUsers(alice.page, [bob.userId]);
    await waitForRemoteUsers(bob.page, [alice.userId]);
    const atAlice = await waitForMediaFrom(alice.page, [bob.userId]);
    const atBob = await waitForMediaFrom(bob.page, [alice.userId]);
    for (const r of [...atAlice, ...atBob]) {
      expect(r.framesDecodedGain).toBeGreaterThan(0);
      expect(r.frameWidth).toBeGreaterThan(0);
      expect(r.audioBytesGain).toBeGreaterThan(0);
    }
    // The per-tile overlay shows the client's stats for the remote stream.
    const tile = (await remoteTiles(alice.page))[0]!;
    expect(tile.framesDecoded).toBeGreaterThan(0);
    expect(tile.videoWidth).toBeGreaterThan(0);
    // The tile's audio meter hears Bob's (fake, beeping) microphone.
    const level = await waitFor("an audio level on Bob's tile", () =>
      alice.page
        .locator(`[data-testid="tile"][data-user-id="${bob.userId}"]`)
        .getAttribute("data-audio-level")
        .then((l) => (Number(l) > 0 ? Number(l) : undefined)),
    );
    expect(level).toBeGreaterThan(0);
  });

  it("lets three participants each decode the other two videos and receive their audio", async () => {
    const { participants } = await joinParticipants(browser, stack.demoUrl, [
      "alice",
      "bob",
      "carol",
    ]);
    for (const p of participants) {
      const others = participants.filter((o) => o !== p).map((o) => o.userId);
      await waitForRemoteUsers(p.page, others);
    }
    for (const p of participants) {
      const others = participants.filter((o) => o !== p).map((o) => o.userId);
      const received = await waitForMediaFrom(p.page, others);
      expect(received.map((r) => r.userId).sort()).toEqual([...others].sort());
      for (const r of received) {
        expect(r.framesDecodedGain).toBeGreaterThan(0);
        expect(r.audioBytesGain).toBeGreaterThan(0);
        expect(r.audioEnergy).toBeGreaterThan(0);
      }
    }
  });
});
