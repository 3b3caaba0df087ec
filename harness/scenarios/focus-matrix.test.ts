// The focus's Matrix side end to end: the embedded homeserver, a Focus object in-process, and
// matrix-js-sdk clients as callers that place calls with to-device messages.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Focus, validateConfig } from "@matrix-focus/focus";
import type { RunningHomeserver } from "@matrix-focus/homeserver";
import {
  buildCallStateContent,
  buildLegacyMemberContent,
  buildPerDeviceMemberContent,
  CallEventNames,
  type FocusRef,
  HangupReason,
  perDeviceMemberStateKey,
  StateEventNames,
} from "@matrix-focus/protocol";
import { Preset } from "matrix-js-sdk";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCallRoom } from "./lib/callRoom.ts";
import { startTestHomeserver } from "./lib/focusStack.ts";
import { MatrixUsers } from "./lib/matrixUsers.ts";
import {
  type Caller,
  hangupsFor,
  makeCaller,
  offerSdp,
  sendTo,
  waitFor,
} from "./lib/toDeviceCaller.ts";

// matrix-js-sdk logs its sync and room-call sessions on the console.
for (const method of ["log", "info", "debug"] as const) {
  vi.spyOn(console, method).mockImplementation(() => {});
}

const FOCUS_DEVICE = "FOCUSDEV";
const CONF = "conf1";

let hs: RunningHomeserver;
let dataDir: string;
let focus: Focus;
let focusRef: FocusRef;
let roomId: string;
const logLines: Record<string, unknown>[] = [];
let alice: Caller;
let bob: Caller;
let eve: Caller;
let carol: Caller;
const users = new MatrixUsers(() => hs.url);

async function setState(c: Caller, type: string, content: object, stateKey: string) {
  // matrix-js-sdk types state events by name; these are MSC names it does not list.
  await c.client.sendStateEvent(roomId, type as never, content as never, stateKey);
}

async function announceMembership(c: Caller, foci: FocusRef[]) {
  const content = buildLegacyMemberContent([
    {
      confId: CONF,
      devices: [
        {
          deviceId: c.deviceId,
          sessionId: "s1",
          expiresTs: Date.now() + 3_600_000,
          fociPreferred: foci,
        },
      ],
    },
  ]);
  await setState(c, StateEventNames.callMember.unstable, content, c.userId);
}

function callContent(c: Caller, callId: string, extra: object): Record<string, unknown> {
  return {
    call_id: callId,
    conf_id: CONF,
    party_id: c.deviceId,
    version: "1",
    device_id: c.deviceId,
    sender_session_id: `session-${c.deviceId}`,
    dest_session_id: "",
    ...extra,
  };
}

const send = (c: Caller, type: string, content: Record<string, unknown>) =>
  sendTo(c, focusRef, type, content);

function invite(c: Caller, callId: string, sdp = "v=0\r\n") {
  return send(
    c,
    CallEventNames.invite.stable,
    callContent(c, callId, { offer: { type: "offer", sdp }, lifetime: 60_000 }),
  );
}

function focusConfig() {
  return validateConfig({
    homeserverUrl: hs.url,
    username: "focus",
    password: "focus-pw",
    register: true,
    joinOnCall: true,
    deviceId: FOCUS_DEVICE,
    dataDir,
    metrics: { enabled: true, port: 0 },
    sync: { timeoutMs: 1000 },
    logLevel: "debug",
  });
}

/** Called with every log line of the focus, synchronously (a test may act on a line). */
let onLogLine: (line: Record<string, unknown>) => void = () => {};

async function startFocus(): Promise<Focus> {
  const logger = pino(
    { level: "debug" },
    {
      write: (text: string) => {
        const line = JSON.parse(text) as Record<string, unknown>;
        logLines.push(line);
        onLogLine(line);
      },
    },
  );
  const f = await Focus.start({ config: focusConfig(), logger });
  await waitFor("the focus to sync", () => f.syncing);
  return f;
}

beforeAll(async () => {
  hs = await startTestHomeserver();
  dataDir = await mkdtemp(join(tmpdir(), "focus-matrix-"));
  focus = await startFocus();
  focusRef = focus.me;
  [alice, bob, eve, carol] = await Promise.all([
    makeCaller(users, "alice"),
    makeCaller(users, "bob"),
    makeCaller(users, "eve"),
    makeCaller(users, "carol"),
  ]);
  roomId = await createCallRoom(alice.client, {
    foci: [focusRef.userId],
    joiners: [bob.client, carol.client],
    openEvents: [StateEventNames.callMember.stable],
    timeoutMs: 10_000,
  });
  await setState(alice, StateEventNames.call.unstable, buildCallStateContent(), CONF);
  await announceMembership(alice, [focusRef]);
  await announceMembership(bob, [{ userId: "@elsewhere:localhost", deviceId: "OTHER" }]);
}, 60_000);

afterAll(async () => {
  users.stopAll();
  await focus?.close();
  await hs?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("focus on Matrix", () => {
  it("refuses a caller who is not in the room with not_a_member", async () => {
    await invite(eve, "eve-1");
    const [hangup] = await waitFor(
      "eve's hangup",
      () => hangupsFor(eve, "eve-1").at(0) && hangupsFor(eve, "eve-1"),
    );
    expect(hangup?.sender).toBe(focusRef.userId);
    expect(hangup?.content).toMatchObject({
      reason: HangupReason.notAMember,
      device_id: FOCUS_DEVICE,
      party_id: FOCUS_DEVICE,
      dest_session_id: `session-${eve.deviceId}`,
    });
  });

  it("refuses a member whose membership does not name the focus with focus_not_named", async () => {
    await invite(bob, "bob-1");
    const hangup = await waitFor("bob's hangup", () => hangupsFor(bob, "bob-1").at(0));
    expect(hangup.content.reason).toBe(HangupReason.focusNotNamed);
  });

  it("answers a member naming the focus with device_id, dest_session_id and party_id", async () => {
    await invite(alice, "alice-1", await offerSdp());
    const answer = await waitFor("alice's answer", () =>
      alice.inbox.find(
        (m) => m.type === CallEventNames.answer.stable && m.content.call_id === "alice-1",
      ),
    );
    expect(answer.sender).toBe(focusRef.userId);
    expect(answer.content).toMatchObject({
      conf_id: CONF,
      device_id: FOCUS_DEVICE,
      party_id: FOCUS_DEVICE,
      dest_session_id: `session-${alice.deviceId}`,
      answer: { type: "answer", sdp: expect.stringContaining("m=audio") },
    });
    expect(hangupsFor(alice, "alice-1")).toEqual([]);
  });

  it("answers a per-device member whose invite carries room_id, in the conference (room_id, conf_id)", async () => {
    await setState(
      carol,
      StateEventNames.callMember.unstable,
      buildPerDeviceMemberContent({ deviceId: carol.deviceId, fociPreferred: [focusRef] }),
      perDeviceMemberStateKey(carol.userId, carol.deviceId),
    );
    await send(
      carol,
      CallEventNames.invite.stable,
      callContent(carol, "carol-1", {
        conf_id: "",
        room_id: roomId,
        offer: { type: "offer", sdp: await offerSdp() },
        lifetime: 60_000,
        created_ts: Date.now(),
      }),
    );
    const answer = await waitFor("carol's answer", () =>
      carol.inbox.find(
        (m) => m.type === CallEventNames.answer.stable && m.content.call_id === "carol-1",
      ),
    );
    expect(answer.content).toMatchObject({
      device_id: FOCUS_DEVICE,
      dest_session_id: `session-${carol.deviceId}`,
    });
    const accepted = logLines.find((l) => l.msg === "call accepted" && l.callId === "carol-1");
    expect(accepted?.conference).toEqual({ roomId, confId: "" });
  });

  it("hangs up a call whose caller removes its membership", async () => {
    await setState(
      carol,
      StateEventNames.callMember.unstable,
      {},
      perDeviceMemberStateKey(carol.userId, carol.deviceId),
    );
    const hangup = await waitFor("carol's call to end", () => hangupsFor(carol, "carol-1").at(0));
    expect(hangup.content).toMatchObject({ call_id: "carol-1", party_id: FOCUS_DEVICE });
    expect(logLines.some((l) => l.msg === "member left")).toBe(true);
  });

  it("joins a public room named by an invite's room_id and answers; refuses a private one", async () => {
    const perDeviceInvite = async (c: Caller, callId: string, room: string) =>
      send(
        c,
        CallEventNames.invite.stable,
        callContent(c, callId, {
          conf_id: "",
          room_id: room,
          offer: { type: "offer", sdp: await offerSdp() },
          lifetime: 60_000,
        }),
      );
    const membership = (c: Caller) =>
      buildPerDeviceMemberContent({ deviceId: c.deviceId, fociPreferred: [focusRef] });
    const events = { [StateEventNames.callMember.unstable]: 0 };
    const open = await eve.client.createRoom({
      preset: Preset.PublicChat,
      power_level_content_override: { events },
    });
    const closed = await eve.client.createRoom({
      preset: Preset.PrivateChat,
      power_level_content_override: { events },
    });
    for (const room of [open.room_id, closed.room_id]) {
      await eve.client.sendStateEvent(
        room,
        StateEventNames.callMember.unstable as never,
        membership(eve) as never,
        perDeviceMemberStateKey(eve.userId, eve.deviceId),
      );
    }
    await perDeviceInvite(eve, "eve-public", open.room_id);
    const answer = await waitFor("eve's answer in the public room", () =>
      eve.inbox.find(
        (m) => m.type === CallEventNames.answer.stable && m.content.call_id === "eve-public",
      ),
    );
    expect(answer.sender).toBe(focusRef.userId);
    const accepted = logLines.find((l) => l.msg === "call accepted" && l.callId === "eve-public");
    expect(accepted?.conference).toEqual({ roomId: open.room_id, confId: "" });
    await perDeviceInvite(eve, "eve-private", closed.room_id);
    const hangup = await waitFor("eve's refusal in the private room", () =>
      hangupsFor(eve, "eve-private").at(0),
    );
    expect(hangup.content.reason).toBe(HangupReason.unknownConference);
  });

  it("refuses an invite created longer ago than its lifetime with invite_expired", async () => {
    await send(
      alice,
      CallEventNames.invite.stable,
      callContent(alice, "alice-old", {
        offer: { type: "offer", sdp: "v=0\r\n" },
        lifetime: 10_000,
        created_ts: Date.now() - 20_000,
      }),
    );
    const hangup = await waitFor("alice's refusal", () => hangupsFor(alice, "alice-old").at(0));
    expect(hangup.content.reason).toBe(HangupReason.inviteExpired);
  });

  it("logs a malformed invite with its schema issues and does not answer it", async () => {
    await send(
      alice,
      CallEventNames.invite.stable,
      callContent(alice, "alice-bad", { lifetime: 60_000 }),
    );
    const line = await waitFor("the malformed message to be logged", () =>
      logLines.find(
        (l) => l.why === "malformed" && String(JSON.stringify(l.issues)).includes("offer"),
      ),
    );
    expect(line.level).toBe(40);
    await invite(eve, "eve-after-bad");
    await waitFor("a later refusal, proving the malformed one was passed", () =>
      hangupsFor(eve, "eve-after-bad").at(0),
    );
    expect(hangupsFor(alice, "alice-bad")).toEqual([]);
  });

  it("ignores candidates for a call that does not exist", async () => {
    await send(
      alice,
      CallEventNames.candidates.stable,
      callContent(alice, "no-such-call", { candidates: [] }),
    );
    await waitFor("the unknown call to be logged", () =>
      logLines.find((l) => l.why === "unknown_call" && l.callId === "no-such-call"),
    );
  });

  it("after a restart, handles only what arrived while it was away and replays nothing", async () => {
    // Stop the focus in the middle of handling a sync, before its next /sync acknowledges
    // that batch: only the stored sync token keeps the batch from being delivered again.
    let stopped: Promise<void> | undefined;
    onLogLine = (line) => {
      if (line.msg === "call refused" && line.callId === "eve-last") stopped ??= focus.close();
    };
    await invite(eve, "eve-last");
    await waitFor("the focus to stop mid-batch", () => stopped);
    await stopped;
    onLogLine = () => {};
    // Stopping hangs up the calls it serves.
    const shutdown = await waitFor("alice's call to be hung up", () =>
      hangupsFor(alice, "alice-1").at(0),
    );
    expect(shutdown.content.reason).toBe(HangupReason.focusShutdown);
    await waitFor("eve's refusal before the stop", () => hangupsFor(eve, "eve-last").at(0));
    await invite(eve, "eve-while-down");
    await invite(bob, "bob-while-down");
    focus = await startFocus();
    expect(focus.me).toEqual(focusRef);
    expect(logLines.filter((l) => l.msg === "reusing the stored login")).toHaveLength(1);
    await waitFor("eve's refusal after the restart", () => hangupsFor(eve, "eve-while-down").at(0));
    const bobHangup = await waitFor("bob's refusal", () => hangupsFor(bob, "bob-while-down").at(0));
    // focus_not_named needs the room state: the restarted focus loaded it without a full sync.
    expect(bobHangup.content.reason).toBe(HangupReason.focusNotNamed);
    const received = await focus.metrics.toDeviceReceived.get();
    expect(received.values.reduce((n, v) => n + v.value, 0)).toBe(2);
    expect(hangupsFor(eve, "eve-last")).toHaveLength(1);
  });

  it("serves /health and /metrics with refusals by reason", async () => {
    const url = focus.httpUrl as string;
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/matrix_focus_calls_refused_total\{reason="focus_not_named"\} 1/);
  });
});
