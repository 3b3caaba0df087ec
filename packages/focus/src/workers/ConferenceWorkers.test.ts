// Real worker threads, each with a ConferenceManager. The invites carry no media description
// (werift answers them anyway); no media flows, which is left to the scenario test.
import { type CallEvent, HangupReason, Values } from "@matrix-focus/protocol";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { ConferenceInput, ConferenceKey, DeviceRef } from "../conference/inputs.ts";
import { ConferenceWorkers } from "./ConferenceWorkers.ts";

const focus = { userId: "@focus:test", deviceId: "FOCUS" };
const sender = { userId: "@alice:test", deviceId: "ALICE" };

function callEvent(
  kind: "invite" | "hangup",
  conference: ConferenceKey,
  callId: string,
): ConferenceInput {
  const extra =
    kind === "invite"
      ? { offer: { type: "offer", sdp: "not an sdp" }, lifetime: 60_000 }
      : { reason: HangupReason.userHangup };
  const event = {
    kind,
    content: {
      call_id: callId,
      conf_id: conference.confId,
      party_id: sender.deviceId,
      version: Values.callVersion,
      device_id: sender.deviceId,
      sender_session_id: "s1",
      dest_session_id: "",
      room_id: conference.roomId,
      ...extra,
    },
  } as CallEvent;
  return { kind: "callEventReceived", conference, sender, event };
}

async function waitFor(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let layer: ConferenceWorkers | undefined;
afterEach(async () => {
  await layer?.close();
  layer = undefined;
});

async function start(sent: { to: DeviceRef; event: CallEvent }[], lines: string[] = []) {
  layer = await ConferenceWorkers.start({
    workers: 2,
    focus,
    signalling: {
      sendCallEvent: async (to, event) => {
        sent.push({ to, event });
      },
    },
    logger: pino({ level: "info" }, { write: (line: string) => lines.push(line) }),
  });
  return layer;
}

describe("ConferenceWorkers", () => {
  it("runs conferences on two threads and sends their call events through the main thread", async () => {
    const sent: { to: DeviceRef; event: CallEvent }[] = [];
    const lines: string[] = [];
    const w = await start(sent, lines);
    const a = { roomId: "!a:test", confId: "a" };
    const b = { roomId: "!b:test", confId: "b" };
    w.handle(callEvent("invite", a, "call-a"));
    w.handle(callEvent("invite", b, "call-b"));
    expect([w.workerOf(a), w.workerOf(b)]).toEqual([0, 1]);
    await waitFor("two answers", () => sent.length === 2);
    expect(sent.map((s) => [s.to, s.event.kind, s.event.content.call_id]).sort()).toEqual([
      [sender, "answer", "call-a"],
      [sender, "answer", "call-b"],
    ]);
    await w.idle();
    // the figures add up both workers'
    expect(w.stats()).toMatchObject({ conferences: 2, participants: 2 });
    expect(w.perWorker().map((p) => p.stats?.participants)).toEqual([1, 1]);
    expect(w.hasCall("call-a") && w.hasCall("call-b")).toBe(true);
    expect(
      w
        .dump()
        .map((c) => c.confId)
        .sort(),
    ).toEqual(["a", "b"]);
    // a hang-up ends a conference: it is forgotten and the figures drop
    w.handle(callEvent("hangup", a, "call-a"));
    await w.idle();
    expect(w.stats()).toMatchObject({ conferences: 1, participants: 1 });
    expect(w.hasCall("call-a")).toBe(false);
    expect(w.workerOf(a)).toBeUndefined();
    expect(w.workerOf(b)).toBe(1);
    // each worker logs through this thread's logger destination, with its index
    const workers = lines.map((l) => JSON.parse(l) as { worker?: number; msg: string });
    expect(
      workers
        .filter((l) => l.msg === "conference started")
        .map((l) => l.worker)
        .sort(),
    ).toEqual([0, 1]);
  });

  it("replaces a worker that stops, drops input for its conferences, and places new calls on a live worker", async () => {
    const sent: { to: DeviceRef; event: CallEvent }[] = [];
    const lines: string[] = [];
    const w = await start(sent, lines);
    const a = { roomId: "!a:test", confId: "a" };
    w.handle(callEvent("invite", a, "call-a"));
    expect(w.workerOf(a)).toBe(0);
    await w.stopWorker(0);
    await waitFor("the stop to be noticed", () => w.perWorker()[0]?.running === false);
    expect(w.workerOf(a)).toBeUndefined();
    w.handle(callEvent("hangup", a, "call-a"));
    const msgs = () => lines.map((l) => JSON.parse(l) as { msg: string; reason?: string });
    expect(msgs().some((l) => l.msg.includes("a conference worker stopped") && l.reason)).toBe(
      true,
    );
    expect(msgs().some((l) => l.msg.includes("whose worker stopped ignored"))).toBe(true);
    // the device calls again: the conference starts on the live worker
    w.handle(callEvent("invite", a, "call-a2"));
    expect(w.workerOf(a)).toBe(1);
    await waitFor("the answer to the new call", () =>
      sent.some((s) => s.event.content.call_id === "call-a2"),
    );
    await waitFor("the replacement", () =>
      msgs().some((l) => l.msg === "conference worker replaced"),
    );
    expect(w.perWorker().map((p) => p.running)).toEqual([true, true]);
  });
});
