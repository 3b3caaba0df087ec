import {
  CallEventNames,
  ContentKeys,
  DataChannelNames,
  HangupReason,
  parseCallEvent,
  Values,
} from "@matrix-focus/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../log.ts";
import { FakeClock } from "../util/Clock.ts";
import { FocusConnection } from "./FocusConnection.ts";
import { FakePeerConnection, FakeToDevice, fakeLocalMedia } from "./testFakes.ts";

const identity = {
  callId: "call1",
  confId: "",
  roomId: "!r:hs",
  deviceId: "DEV",
  sessionId: "mysession",
  focusUserId: "@focus:hs",
  focusDeviceId: "FOCUS",
};

function focusMessage(
  kind: keyof typeof CallEventNames,
  extra: Record<string, unknown>,
  overrides = {},
) {
  const parsed = parseCallEvent(CallEventNames[kind].stable, {
    call_id: "call1",
    conf_id: "",
    party_id: "FOCUS",
    version: "1",
    device_id: "FOCUS",
    sender_session_id: "focussession",
    dest_session_id: "mysession",
    ...extra,
    ...overrides,
  });
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("FocusConnection", () => {
  let clock: FakeClock;
  let pc: FakePeerConnection;
  let td: FakeToDevice;
  let conn: FocusConnection;
  let ended: string[];

  beforeEach(() => {
    clock = new FakeClock(5000);
    pc = new FakePeerConnection();
    td = new FakeToDevice();
    ended = [];
    conn = new FocusConnection({
      toDevice: td.asChannel(),
      identity,
      local: fakeLocalMedia(),
      userId: "@me:hs",
      simulcast: true,
      layers: [
        { rid: "f", scaleResolutionDownBy: 1 },
        { rid: "h", scaleResolutionDownBy: 2 },
        { rid: "q", scaleResolutionDownBy: 4 },
      ],
      iceServers: [],
      clock,
      logger: silentLogger,
      variant: "unstable",
      inviteLifetimeMs: 30_000,
      answerTimeoutMs: 15_000,
      connectTimeoutMs: 20_000,
      pingTimeoutMs: 60_000,
      disconnectedGraceMs: 4_000,
      candidateBatchMs: 50,
      createPeerConnection: () => pc as unknown as RTCPeerConnection,
    });
    conn.on("ended", (reason) => ended.push(reason));
  });

  it("creates the data channel before the offer and sends the camera as simulcast f/h/q", async () => {
    await conn.start();
    expect(pc.calls).toEqual([`createDataChannel ${Values.dataChannelLabel}`, "createOffer"]);
    expect(pc.transceivers.map((t) => t.track.kind)).toEqual(["audio", "video"]);
    expect(
      pc.transceivers[1]?.init.sendEncodings?.map((e) => [e.rid, e.scaleResolutionDownBy]),
    ).toEqual([
      ["f", 1],
      ["h", 2],
      ["q", 4],
    ]);
  });

  it("invites the focus with the offer, seq 0, our ids, the room and our stream metadata", async () => {
    await conn.start();
    expect(td.sent).toHaveLength(1);
    const invite = td.sent[0]!;
    expect([invite.userId, invite.deviceId, invite.type]).toEqual([
      "@focus:hs",
      "FOCUS",
      CallEventNames.invite.stable,
    ]);
    expect(invite.content).toMatchObject({
      call_id: "call1",
      party_id: "DEV",
      device_id: "DEV",
      sender_session_id: "mysession",
      seq: 0,
      room_id: "!r:hs",
      created_ts: 5000,
      lifetime: 30_000,
      offer: { type: "offer", sdp: "v=0 offer" },
    });
    expect(invite.content[ContentKeys.sdpStreamMetadata.unstable]).toEqual({
      "local-stream": {
        user_id: "@me:hs",
        device_id: "DEV",
        purpose: Values.purposeUsermedia,
        audio_muted: false,
        video_muted: false,
        tracks: {
          "mic-track": { kind: "audio" },
          "cam-track": { kind: "video", width: 640, height: 480 },
        },
      },
    });
  });

  it("applies the focus's answer, selects it and then adds candidates that arrived before it", async () => {
    await conn.start();
    td.emit(
      "callEventReceived",
      focusMessage("candidates", {
        candidates: [{ candidate: "c1", sdpMid: "0", sdpMLineIndex: 0 }],
      }),
      "@focus:hs",
    );
    expect(pc.candidates).toEqual([]);
    td.emit(
      "callEventReceived",
      focusMessage("answer", { answer: { type: "answer", sdp: "v=0 answer" } }),
      "@focus:hs",
    );
    await flush();
    expect(pc.remoteDescription?.sdp).toBe("v=0 answer");
    expect(pc.candidates.map((c) => c.candidate)).toEqual(["c1"]);
    const select = td.sent.find((m) => m.type === CallEventNames.selectAnswer.stable);
    expect(select?.content).toMatchObject({
      selected_party_id: "FOCUS",
      dest_session_id: "focussession",
      seq: 1,
    });
  });

  it("ignores an answer for another session or call and does not apply it", async () => {
    await conn.start();
    td.emit(
      "callEventReceived",
      focusMessage(
        "answer",
        { answer: { type: "answer", sdp: "x" } },
        { dest_session_id: "other" },
      ),
      "@focus:hs",
    );
    td.emit(
      "callEventReceived",
      focusMessage("answer", { answer: { type: "answer", sdp: "x" } }, { call_id: "call2" }),
      "@focus:hs",
    );
    await flush();
    expect(pc.remoteDescription).toBeNull();
    expect(ended).toEqual([]);
  });

  it("gives up when no answer comes in time", async () => {
    await conn.start();
    clock.advance(15_000);
    expect(ended).toEqual(["no answer from the focus"]);
  });

  it("ends when the focus hangs up and passes on the focus's reason", async () => {
    const reasons: (string | undefined)[] = [];
    conn.on("ended", (_r, _c, hangupReason) => reasons.push(hangupReason));
    await conn.start();
    td.emit("callEventReceived", focusMessage("hangup", { reason: "capacity" }), "@focus:hs");
    expect(ended).toEqual(["the focus hung up: capacity"]);
    expect(reasons).toEqual(["capacity"]);
  });

  it("batches trickled candidates into one message and ends the list with an empty candidate", async () => {
    await conn.start();
    pc.fire("icecandidate", { candidate: { candidate: "a", sdpMid: "0", sdpMLineIndex: 0 } });
    pc.fire("icecandidate", { candidate: { candidate: "b", sdpMid: "0", sdpMLineIndex: 0 } });
    pc.fire("icecandidate", { candidate: null });
    await flush();
    const cands = td.sent.filter((m) => m.type === CallEventNames.candidates.stable);
    expect(cands).toHaveLength(1);
    expect(
      (cands[0]!.content.candidates as { candidate: string }[]).map((c) => c.candidate),
    ).toEqual(["a", "b", ""]);
  });

  it("answers pings on the data channel once it is open and reports connected", async () => {
    let connected = 0;
    conn.on("connected", () => connected++);
    await conn.start();
    pc.channel.open();
    pc.channel.fire("message", {
      data: JSON.stringify({ type: DataChannelNames.ping.stable, content: {} }),
    });
    expect(connected).toBe(1);
    expect(pc.channel.sent).toEqual([{ type: DataChannelNames.pong.stable, content: {} }]);
  });

  describe("noticing a dead focus", () => {
    beforeEach(async () => {
      await conn.start();
      pc.channel.open();
      pc.setIceConnectionState("connected");
      pc.setConnectionState("connected");
    });

    it("ends the call when the connection stays disconnected for the grace period", () => {
      pc.setIceConnectionState("disconnected");
      pc.setConnectionState("disconnected");
      clock.advance(3_999);
      expect(ended).toEqual([]);
      clock.advance(1);
      expect(ended).toEqual(["the connection stayed disconnected for 4000 ms"]);
    });

    it("keeps the call through a disconnected blip that recovers within the grace period", () => {
      pc.setConnectionState("disconnected");
      clock.advance(3_000);
      pc.setConnectionState("connected");
      clock.advance(30_000);
      expect(ended).toEqual([]);
      expect(conn.connected).toBe(true);
    });

    it("gives a second disconnect after a recovery a full grace period of its own", () => {
      pc.setConnectionState("disconnected");
      clock.advance(3_000);
      pc.setConnectionState("connected");
      clock.advance(500);
      pc.setConnectionState("disconnected");
      clock.advance(3_999);
      expect(ended).toEqual([]);
      clock.advance(1);
      expect(ended).toEqual(["the connection stayed disconnected for 4000 ms"]);
    });

    it("watches the ICE connection state as well as the peer connection state", () => {
      pc.setIceConnectionState("disconnected");
      clock.advance(4_000);
      expect(ended).toEqual(["the connection stayed disconnected for 4000 ms"]);
    });

    it("ends at once when the connection fails", () => {
      pc.setIceConnectionState("failed");
      expect(ended).toEqual(["the connection failed"]);
    });

    it("ends at once when the data channel closes", () => {
      pc.channel.readyState = "closed";
      pc.channel.fire("close");
      expect(ended).toEqual(["the data channel closed"]);
    });

    it("stops waiting when the call is closed during the grace period", () => {
      pc.setConnectionState("disconnected");
      conn.close();
      clock.advance(10_000);
      expect(ended).toEqual([]);
      expect(clock.pending).toBe(0);
    });
  });

  it("hangs up with the reason and closes the peer connection", async () => {
    await conn.start();
    await conn.hangup(HangupReason.userHangup);
    const hangup = td.sent.at(-1);
    expect(hangup?.type).toBe(CallEventNames.hangup.stable);
    expect(hangup?.content).toMatchObject({ reason: HangupReason.userHangup, seq: 1 });
    expect(pc.closed).toBe(true);
  });
});
