import { type CallEvent, HangupReason } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { ConferenceManager } from "./ConferenceManager.ts";
import type { DeviceRef } from "./inputs.ts";

const conference = { roomId: "!r:hs", confId: "" };
const focus = { userId: "@focus:hs", deviceId: "FOCUS" };

function invite(callId: string): CallEvent {
  return {
    kind: "invite",
    content: {
      call_id: callId,
      conf_id: "",
      party_id: "ANN",
      version: "1",
      device_id: "ANN",
      sender_session_id: "s",
      dest_session_id: "",
      seq: 0,
      lifetime: 30_000,
      offer: { type: "offer", sdp: "not an sdp" },
    },
  } as CallEvent;
}

/** What the focus sent: kind, and the reason of a hangup. */
async function sentFor(callsElsewhere: number | undefined): Promise<string[]> {
  const sent: { to: DeviceRef; event: CallEvent }[] = [];
  const m = new ConferenceManager({
    focus,
    signalling: { sendCallEvent: async (to, event) => void sent.push({ to, event }) },
    limits: { maxParticipantsPerConference: 3 },
  });
  m.handle({
    kind: "callEventReceived",
    conference,
    sender: { userId: "@ann:hs", deviceId: "ANN" },
    event: invite("c1"),
    ...(callsElsewhere !== undefined ? { callsElsewhere } : {}),
  });
  await m.idle();
  await m.close();
  return sent.map((s) =>
    s.event.kind === "hangup"
      ? `hangup ${(s.event.content as { reason?: string }).reason}`
      : s.event.kind,
  );
}

describe("the participant limit of a conference spread over workers", () => {
  it("counts the calls the conference's other parts hold", async () => {
    // room here, but the other parts already hold the rest of the conference's three places
    expect(await sentFor(3)).toEqual([`hangup ${HangupReason.capacity}`]);
    // with room, the invite is answered
    expect(await sentFor(2)).toContain("answer");
    expect(await sentFor(undefined)).toContain("answer");
  });
});
