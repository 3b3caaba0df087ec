import type { CallEvent } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import type { ConferenceInput } from "../conference/inputs.ts";
import { Placement } from "./Placement.ts";
import { routeInput } from "./routeInput.ts";

const conference = { roomId: "!r:hs", confId: "" };
const device = (n: number) => ({ userId: `@u${n}:hs`, deviceId: `D${n}` });

function event(kind: "invite" | "candidates" | "hangup", callId: string): CallEvent {
  return { kind, content: { call_id: callId, conf_id: "" } } as unknown as CallEvent;
}

function from(n: number, kind: "invite" | "candidates" | "hangup", callId: string, link = false) {
  return {
    kind: "callEventReceived",
    conference,
    sender: device(n),
    event: event(kind, callId),
    ...(link ? { link } : {}),
  } as ConferenceInput;
}

/** Workers each input goes to, with a spread limit of two devices per worker. */
function workers(p: Placement, input: ConferenceInput): number[] {
  return routeInput(p, input, 2, 0).flatMap((r) => (r.to === "worker" ? [r.worker] : []));
}

describe("routing the inputs of a spread conference", () => {
  it("sends each device's invite and call events to its part, and tells a part the calls held elsewhere", () => {
    const p = new Placement(2, { forgetUnseenMs: 30_000, lostMemoryMs: 300_000 });
    expect([1, 2, 3].map((n) => workers(p, from(n, "invite", `c${n}`)))).toEqual([[0], [0], [1]]);
    const third = routeInput(p, from(4, "invite", "c4"), 2, 0)[0];
    expect(third).toMatchObject({ to: "worker", worker: 1, input: { callsElsewhere: 2 } });
    expect(workers(p, from(3, "hangup", "c3"))).toEqual([1]);
    expect(workers(p, from(1, "candidates", "c1"))).toEqual([0]);
  });

  it("gives candidates of a call not seen yet to every part, and a link to another focus to the home", () => {
    const p = new Placement(2, { forgetUnseenMs: 30_000, lostMemoryMs: 300_000 });
    for (const n of [1, 2, 3]) workers(p, from(n, "invite", `c${n}`));
    expect(workers(p, from(9, "candidates", "early"))).toEqual([0, 1]);
    expect(workers(p, from(8, "invite", "link1", true))).toEqual([0]);
    expect(
      workers(p, { kind: "memberLeft", conference, member: device(3) } as ConferenceInput),
    ).toEqual([1]);
  });
});
