import {
  parseCallMemberContent,
  perDeviceMemberStateKey,
  StateEventNames,
  Values,
} from "@matrix-focus/protocol";
import type { MatrixClient, Room } from "matrix-js-sdk";
import { beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../log.ts";
import type { FocusRef } from "../types.ts";
import { FakeClock } from "../util/Clock.ts";
import { StateMembership } from "./MembershipPublisher.ts";

const F: FocusRef = { type: Values.focusTypeMsc3898, user_id: "@f:hs", device_id: "F" };

describe("StateMembership", () => {
  let clock: FakeClock;
  let sent: { type: string; content: Record<string, unknown>; stateKey: string; at: number }[];
  let state: Map<string, Record<string, unknown>>;
  let client: MatrixClient;
  let room: Room;

  beforeEach(() => {
    clock = new FakeClock(1_000_000);
    sent = [];
    state = new Map();
    client = {
      getUserId: () => "@me:hs",
      getDeviceId: () => "DEV",
      sendStateEvent: async (
        _room: string,
        type: string,
        content: Record<string, unknown>,
        stateKey: string,
      ) => {
        sent.push({ type, content, stateKey, at: clock.now() });
        state.set(`${type}|${stateKey}`, content);
        return { event_id: "$x" };
      },
    } as unknown as MatrixClient;
    room = {
      roomId: "!r:hs",
      currentState: {
        getStateEvents: (type: string, key: string) => {
          const c = state.get(`${type}|${key}`);
          return c === undefined ? null : { getContent: () => c };
        },
      },
    } as unknown as Room;
  });

  const make = (shape: "legacy" | "perDevice") =>
    new StateMembership({
      shape,
      client,
      room,
      confId: shape === "legacy" ? "conf" : "",
      sessionId: "sess",
      focusSelection: Values.focusSelectionMultiSfu,
      variant: "unstable",
      expiryMs: 600_000,
      headroomMs: 60_000,
      clock,
      logger: silentLogger,
    });

  it("refreshes the legacy membership before it expires", async () => {
    await make("legacy").publish(F, [F]);
    clock.advance(540_000);
    await Promise.resolve();
    expect(sent.map((s) => s.at)).toEqual([1_000_000, 1_540_000]);
    const parsed = parseCallMemberContent("@me:hs", sent[1]?.content, "@me:hs", clock.now());
    if (!parsed.ok) throw parsed.error;
    expect(parsed.value[0]?.expiresAt).toBe(1_540_000 + 600_000);
    expect(sent[0]?.type).toBe(StateEventNames.callMember.unstable);
  });

  it("keeps created_ts and extends expires when refreshing the per-device membership", async () => {
    await make("perDevice").publish(F, [F]);
    clock.advance(540_000);
    await Promise.resolve();
    expect(sent[0]?.stateKey).toBe(perDeviceMemberStateKey("@me:hs", "DEV"));
    expect(sent.map((s) => [s.content.created_ts, s.content.expires])).toEqual([
      [1_000_000, 600_000],
      [1_000_000, 1_140_000],
    ]);
  });

  it("writes empty content for the per-device shape on leave and stops refreshing", async () => {
    const m = make("perDevice");
    await m.publish(F, [F]);
    await m.leave();
    clock.advance(10_000_000);
    expect(sent.map((s) => s.content)).toHaveLength(2);
    expect(sent[1]?.content).toEqual({});
  });
});
