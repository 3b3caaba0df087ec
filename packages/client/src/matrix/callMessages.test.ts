import {
  type CallEvent,
  CallEventNames,
  ContentKeys,
  HangupReason,
  parseCallEvent,
  Values,
} from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { type CallIdentity, CallMessageWriter, rejectReason } from "./callMessages.ts";

const id: CallIdentity = {
  callId: "call1",
  confId: "",
  roomId: "!room:hs",
  deviceId: "DEV",
  sessionId: "sess",
  focusUserId: "@focus:hs",
  focusDeviceId: "FOCUS",
};

const metadata = {
  st: {
    user_id: "@me:hs",
    device_id: "DEV",
    purpose: Values.purposeUsermedia,
    audio_muted: false,
    video_muted: false,
    tracks: {
      t1: { kind: "audio" as const },
      t2: { kind: "video" as const, width: 1280, height: 720 },
    },
  },
};

function answer(overrides: Record<string, unknown> = {}): CallEvent {
  const content = {
    call_id: "call1",
    conf_id: "",
    party_id: "FOCUS",
    version: "1",
    device_id: "FOCUS",
    sender_session_id: "fsess",
    dest_session_id: "sess",
    answer: { type: "answer", sdp: "v=0" },
    ...overrides,
  };
  const parsed = parseCallEvent(CallEventNames.answer.stable, content);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

describe("CallMessageWriter", () => {
  it("writes an invite the protocol parser accepts, with our fields and metadata", () => {
    const w = new CallMessageWriter(id, () => 1234);
    const msg = w.build("invite", {
      offer: { type: "offer", sdp: "v=0" },
      lifetime: 30000,
      invitee: "@focus:hs",
      sdp_stream_metadata: metadata,
    });
    expect(msg.type).toBe(CallEventNames.invite.stable);
    expect(msg.content[ContentKeys.sdpStreamMetadata.unstable]).toEqual(metadata);
    const parsed = parseCallEvent(msg.type, msg.content);
    expect(parsed.ok).toBe(true);
    expect(msg.content).toMatchObject({
      call_id: "call1",
      conf_id: "",
      party_id: "DEV",
      device_id: "DEV",
      version: "1",
      sender_session_id: "sess",
      dest_session_id: "",
      seq: 0,
      room_id: "!room:hs",
      created_ts: 1234,
      lifetime: 30000,
    });
  });

  it("numbers the messages of a call from 0 without gaps", () => {
    const w = new CallMessageWriter(id, () => 0);
    const seqs = [
      w.build("invite", { offer: { type: "offer", sdp: "x" }, lifetime: 1 }),
      w.build("candidates", { candidates: [{ candidate: "a", sdpMid: "0", sdpMLineIndex: 0 }] }),
      w.build("candidates", { candidates: [{ candidate: "" }] }),
      w.build("hangup", { reason: HangupReason.userHangup }),
    ].map((m) => m.content.seq);
    expect(seqs).toEqual([0, 1, 2, 3]);
  });

  it("addresses the focus's session once it is known", () => {
    const w = new CallMessageWriter(id, () => 0);
    w.destSessionId = "fsess";
    expect(w.build("hangup", { reason: HangupReason.userHangup }).content.dest_session_id).toBe(
      "fsess",
    );
  });

  it("writes the stable metadata key too when asked for stable names", () => {
    const w = new CallMessageWriter(id, () => 0, "stable");
    const msg = w.build("invite", {
      offer: { type: "offer", sdp: "x" },
      lifetime: 1,
      sdp_stream_metadata: metadata,
    });
    expect(msg.content[ContentKeys.sdpStreamMetadata.stable]).toEqual(metadata);
  });
});

describe("rejectReason", () => {
  it("accepts the focus's answer for our call and session", () => {
    expect(rejectReason(answer(), "@focus:hs", id, undefined)).toBeUndefined();
  });

  it("ignores an answer for another call_id", () => {
    expect(rejectReason(answer({ call_id: "other" }), "@focus:hs", id, undefined)).toMatch(
      /call_id/,
    );
  });

  it("ignores an answer addressed to another session", () => {
    expect(rejectReason(answer({ dest_session_id: "x" }), "@focus:hs", id, undefined)).toMatch(
      /dest_session_id/,
    );
  });

  it("ignores an answer from someone who is not the focus", () => {
    expect(rejectReason(answer(), "@mallory:hs", id, undefined)).toMatch(/not the focus/);
    expect(rejectReason(answer({ device_id: "OTHER" }), "@focus:hs", id, undefined)).toMatch(
      /device_id/,
    );
  });

  it("after the answer ignores messages from another party", () => {
    const answered = { partyId: "FOCUS", sessionId: "fsess" };
    const hangup = parseCallEvent(CallEventNames.hangup.stable, {
      ...answer().content,
      party_id: "IMPOSTOR",
      reason: HangupReason.userHangup,
    });
    if (!hangup.ok) throw hangup.error;
    expect(rejectReason(hangup.value, "@focus:hs", id, answered)).toMatch(/party_id/);
  });
});
