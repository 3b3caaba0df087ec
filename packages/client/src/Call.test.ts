import { HangupReason, Values } from "@matrix-focus/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { CallImpl, type CallParts } from "./Call.ts";
import type { FocusConnection } from "./focus/FocusConnection.ts";
import {
  DefaultReconnectPolicy,
  type DefaultReconnectPolicyOptions,
} from "./focus/ReconnectPolicy.ts";
import { FakeToDevice, fakeLocalMedia } from "./focus/testFakes.ts";
import { silentLogger } from "./log.ts";
import type { CallState, FocusRef } from "./types.ts";
import { FakeClock } from "./util/Clock.ts";
import { Emitter } from "./util/Emitter.ts";

const focus = (n: string): FocusRef => ({
  type: Values.focusTypeMsc3898,
  user_id: `@${n}:hs`,
  device_id: n,
});
const A = focus("a");
const B = focus("b");

class FakeConnection extends Emitter<Record<string, (...args: unknown[]) => void>> {
  hungUp: string | undefined;
  closed = false;
  answerLatencyMs = 10;
  pc = { signalingState: "stable", connectionState: "connected" };
  publisher = {
    setCameraSending: async () => {},
    publishScreen() {},
    unpublishScreen() {},
    videoSenderOf: () => undefined,
  };
  readonly focus: FocusRef;
  readonly callId: string;
  constructor(focus: FocusRef, callId: string) {
    super();
    this.focus = focus;
    this.callId = callId;
  }
  async start() {}
  async hangup(reason: string) {
    this.hungUp = reason;
  }
  close() {
    this.closed = true;
  }
  sendSubscription() {
    return true;
  }
  sendMetadataChanged() {
    return true;
  }
  succeed() {
    (this.emit as (e: string) => void)("connected");
  }
  fail(reason: string, code: string, hangupReason?: string) {
    (this.emit as (e: string, r: string, c: string, h?: string) => void)(
      "ended",
      reason,
      code,
      hangupReason,
    );
  }
}

const policy = (o: DefaultReconnectPolicyOptions = {}) =>
  new DefaultReconnectPolicy({
    delaysMs: [0, 100],
    jitter: 0,
    attemptsPerFocus: 2,
    maxAttempts: 5,
    ...o,
  });

const noObservers = {
  resize: () => ({ observe() {}, unobserve() {}, disconnect() {} }),
  intersection: () => ({ observe() {}, unobserve() {}, disconnect() {} }),
};

describe("Call", () => {
  let clock: FakeClock;
  let conns: FakeConnection[];
  let published: string[];
  let left: number;
  let states: CallState[];
  let foci: string[];
  let parts: CallParts;
  let answerTimeouts: (number | undefined)[];

  beforeEach(() => {
    clock = new FakeClock();
    conns = [];
    published = [];
    left = 0;
    states = [];
    foci = [];
    answerTimeouts = [];
    parts = {
      roomId: "!r:hs",
      confId: "",
      userId: "@me:hs",
      deviceId: "ME",
      sessionId: "s",
      membershipShape: "perDevice",
      selectionMode: "own_preferred",
      ownPreferred: [A, B],
      readMembers: () => [],
      beforeCalling: async () => {},
      local: fakeLocalMedia(),
      membership: {
        publish: async (f) => {
          published.push(f.user_id);
        },
        leave: async () => {
          left++;
        },
      },
      toDevice: new FakeToDevice().asChannel(),
      policy: policy(),
      clock,
      logger: silentLogger,
      connect: (f, callId, answerTimeoutMs) => {
        answerTimeouts.push(answerTimeoutMs);
        const c = new FakeConnection(f, callId);
        conns.push(c);
        return c as unknown as FocusConnection;
      },
      makeStream: () => ({ getTracks: () => [] }) as unknown as MediaStream,
      observers: noObservers,
    };
  });

  async function begin(): Promise<CallImpl> {
    const call = new CallImpl(parts);
    call.on("stateChanged", (s) => states.push(s));
    call.on("focusChanged", (f) => foci.push(f.user_id));
    await call.begin();
    return call;
  }
  const settle = () => new Promise((r) => setTimeout(r, 0));

  it("writes the membership naming the first preferred focus before calling it", async () => {
    const call = await begin();
    expect(published).toEqual(["@a:hs"]);
    expect(conns.map((c) => c.focus.user_id)).toEqual(["@a:hs"]);
    conns[0]?.succeed();
    expect(call.state).toBe("connected");
    expect(foci).toEqual(["@a:hs"]);
  });

  it("reconnects to the same focus with a fresh call when the focus hangs up", async () => {
    const call = await begin();
    conns[0]?.succeed();
    conns[0]?.fail("the focus hung up: capacity", "focus_hung_up");
    expect(call.state).toBe("reconnecting");
    expect(conns[0]?.closed).toBe(true);
    clock.advance(0);
    await settle();
    expect(conns).toHaveLength(2);
    expect(conns[1]?.focus.user_id).toBe("@a:hs");
    expect(conns[1]?.callId).not.toBe(conns[0]?.callId);
    conns[1]?.succeed();
    expect(states).toEqual(["connected", "reconnecting", "connected"]);
  });

  it("hangs up a focus that stopped pinging with keep_alive_timeout", async () => {
    await begin();
    conns[0]?.succeed();
    conns[0]?.fail("the focus stopped pinging", "ping_timeout");
    expect(conns[0]?.hungUp).toBe(HangupReason.keepAliveTimeout);
  });

  it("moves to the next candidate focus after the attempts per focus and says so", async () => {
    await begin();
    conns[0]?.fail("the focus hung up: ice_failed", "focus_hung_up", "ice_failed");
    clock.advance(0);
    await settle();
    conns[1]?.fail("the focus hung up: ice_failed", "focus_hung_up", "ice_failed");
    clock.advance(100);
    await settle();
    expect(conns.map((c) => c.focus.user_id)).toEqual(["@a:hs", "@a:hs", "@b:hs"]);
    expect(published).toEqual(["@a:hs", "@b:hs"]);
    expect(foci).toEqual(["@a:hs", "@b:hs"]);
  });

  it("moves on at once from a full focus (capacity) when another candidate exists", async () => {
    await begin();
    conns[0]?.fail("the focus hung up: capacity", "focus_hung_up", HangupReason.capacity);
    clock.advance(0);
    await settle();
    expect(conns.map((c) => c.focus.user_id)).toEqual(["@a:hs", "@b:hs"]);
    expect(foci).toEqual(["@a:hs", "@b:hs"]);
  });

  it("keeps retrying a full focus when it is the only candidate", async () => {
    parts.ownPreferred = [A];
    await begin();
    conns[0]?.fail("the focus hung up: capacity", "focus_hung_up", HangupReason.capacity);
    clock.advance(0);
    await settle();
    expect(conns.map((c) => c.focus.user_id)).toEqual(["@a:hs", "@a:hs"]);
  });

  it("waits only a short time for the answer of a focus that answered before and then went away", async () => {
    parts.policy = policy({ attemptsPerSilentFocus: 2 });
    await begin();
    conns[0]?.succeed();
    conns[0]?.fail("the connection stayed disconnected for 4000 ms", "connection_failed");
    clock.advance(0);
    await settle();
    // answered in 10 ms before: ten times that is below the 3 s floor.
    expect(answerTimeouts).toEqual([undefined, 3_000]);
    conns[1]?.fail("no answer from the focus", "focus_unreachable");
    clock.advance(100);
    await settle();
    // the next focus never answered in this call: the usual timeout.
    expect(conns.map((c) => c.focus.user_id)).toEqual(["@a:hs", "@a:hs", "@b:hs"]);
    expect(answerTimeouts).toEqual([undefined, 3_000, undefined]);
  });

  it("waits the usual time for the answer when the focus answered slowly before", async () => {
    parts.policy = policy({ attemptsPerSilentFocus: 2 });
    await begin();
    conns[0]!.answerLatencyMs = 1_000;
    conns[0]?.succeed();
    conns[0]?.fail("gone", "connection_failed");
    clock.advance(0);
    await settle();
    expect(answerTimeouts).toEqual([undefined, 10_000]);
    conns[1]!.answerLatencyMs = 4_000;
    conns[1]?.succeed();
    conns[1]?.fail("gone", "connection_failed");
    clock.advance(0);
    await settle();
    expect(answerTimeouts).toEqual([undefined, 10_000, 15_000]);
  });

  it("moves to the next candidate at once when a connected focus stops answering", async () => {
    const call = await begin();
    conns[0]?.succeed();
    conns[0]?.fail("the connection stayed disconnected for 4000 ms", "connection_failed");
    expect(conns[0]?.hungUp).toBe(HangupReason.iceFailed);
    clock.advance(0);
    await settle();
    expect(conns.map((c) => c.focus.user_id)).toEqual(["@a:hs", "@b:hs"]);
    expect(foci).toEqual(["@a:hs", "@b:hs"]);
    conns[1]?.succeed();
    expect(call.state).toBe("connected");
  });

  it("moves on at once from a focus that never answers when another candidate exists", async () => {
    await begin();
    conns[0]?.fail("no answer from the focus", "focus_unreachable");
    clock.advance(0);
    await settle();
    expect(conns.map((c) => c.focus.user_id)).toEqual(["@a:hs", "@b:hs"]);
  });

  it("keeps retrying a focus that stopped answering when it is the only candidate", async () => {
    parts.ownPreferred = [A];
    parts.policy = policy({ attemptsPerFocus: 3 });
    await begin();
    conns[0]?.succeed();
    conns[0]?.fail("the data channel closed", "connection_failed");
    clock.advance(0);
    await settle();
    conns[1]?.fail("no answer from the focus", "focus_unreachable");
    clock.advance(100);
    await settle();
    expect(conns.map((c) => c.focus.user_id)).toEqual(["@a:hs", "@a:hs", "@a:hs"]);
    expect(published).toEqual(["@a:hs"]);
  });

  it("retries soon, a bounded number of times, when the focus it moved to does not yet see its membership", async () => {
    parts.policy = policy({ delaysMs: [0, 5_000], attemptsPerFocus: 4, maxAttempts: 10 });
    await begin();
    conns[0]?.succeed();
    conns[0]?.fail("the data channel closed", "connection_failed");
    clock.advance(0);
    await settle();
    const notMember = () =>
      conns.at(-1)?.fail("the focus hung up: not_a_member", "focus_hung_up", "not_a_member");
    const callsTo = () => conns.map((c) => c.focus.user_id);
    notMember();
    clock.advance(499);
    await settle();
    expect(callsTo()).toEqual(["@a:hs", "@b:hs"]);
    clock.advance(1);
    await settle();
    expect(callsTo()).toEqual(["@a:hs", "@b:hs", "@b:hs"]);
    notMember();
    clock.advance(1_000);
    await settle();
    expect(callsTo()).toEqual(["@a:hs", "@b:hs", "@b:hs", "@b:hs"]);
    // the quick retries are used up: the delay table again
    notMember();
    clock.advance(4_000);
    await settle();
    expect(conns).toHaveLength(4);
    clock.advance(1_000);
    await settle();
    expect(callsTo()).toEqual(["@a:hs", "@b:hs", "@b:hs", "@b:hs", "@b:hs"]);
  });

  it("uses the usual delay when a focus it was connected to hangs up with not_a_member", async () => {
    parts.policy = policy({ delaysMs: [5_000] });
    await begin();
    conns[0]?.succeed();
    conns[0]?.fail("the focus hung up: not_a_member", "focus_hung_up", "not_a_member");
    clock.advance(1_000);
    await settle();
    expect(conns).toHaveLength(1);
    clock.advance(4_000);
    await settle();
    expect(conns).toHaveLength(2);
  });

  it("reports failed when the reconnect policy gives up", async () => {
    parts.policy = new DefaultReconnectPolicy({ delaysMs: [0], maxAttempts: 1 });
    const errors: string[] = [];
    const call = new CallImpl(parts);
    call.on("error", (e) => errors.push(e.reason));
    await call.begin();
    conns[0]?.fail("no answer", "focus_unreachable");
    clock.advance(0);
    await settle();
    conns[1]?.fail("no answer", "focus_unreachable");
    expect(call.state).toBe("failed");
    expect(errors).toEqual(["focus_unreachable", "focus_unreachable", "reconnect_gave_up"]);
  });

  it("refuses to start without any focus to call", async () => {
    parts.ownPreferred = [];
    await expect(new CallImpl(parts).begin()).rejects.toMatchObject({ reason: "no_focus" });
  });

  it("leaves by hanging up with user_hangup and removing the membership", async () => {
    const call = await begin();
    conns[0]?.succeed();
    await call.leave();
    expect(conns[0]?.hungUp).toBe(HangupReason.userHangup);
    expect(left).toBe(1);
    expect(call.state).toBe("ended");
  });

  it("ignores the end of a connection it already replaced", async () => {
    const call = await begin();
    conns[0]?.fail("gone", "connection_failed");
    clock.advance(0);
    await settle();
    conns[0]?.fail("late", "connection_failed");
    expect(conns).toHaveLength(2);
    expect(call.state).toBe("reconnecting");
  });
});
