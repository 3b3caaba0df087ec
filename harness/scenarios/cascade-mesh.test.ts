// Cascading: one conference spread over three foci, each the matrix-focus command in its own
// process (lib/meshCall.ts); the test reads them through /metrics and their local debug server's
// /conferences (links and what crosses them), and kills one. Six werift bots call their own
// focus through Matrix; the foci link with each other and every bot receives every other bot's
// audio and video.
import {
  CallEventNames,
  DataChannelErrorCode,
  DataChannelNames,
  encodeCallEvent,
  type FocusRef,
  HangupReason,
  Values,
} from "@matrix-focus/protocol";
import { ClientEvent, type MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Bot } from "../bots/Bot.ts";
import { until } from "./lib/callRoom.ts";
import { metricsOf, stateOf } from "./lib/focusProcess.ts";
import { key, type Member, MeshCall, packetsFrom, tracksOf } from "./lib/meshCall.ts";

for (const method of ["log", "info", "debug"] as const) {
  vi.spyOn(console, method).mockImplementation(() => {});
}

const mesh = new MeshCall();
beforeAll(() => mesh.start(), 90_000);
afterAll(() => mesh.stop());

describe("a conference spread over three linked foci", () => {
  it("every participant receives every other participant's audio and video", async () => {
    await mesh.subscribeEveryone();
    await Bot.waitFor(
      () => mesh.everyoneReceivesEveryone(20),
      "everyone receives everyone",
      40_000,
    ).catch((e: unknown) => mesh.diagnosed(e));
    const [a1, , b1, , c1] = mesh.members as Member[];
    expect(
      b1?.bot.track(a1?.bot.streamId as string, a1?.bot.videoTrackId as string)?.keyframes,
    ).toBeGreaterThan(0);
    expect(a1?.bot.metadata[c1?.bot.streamId as string]).toMatchObject({
      user_id: c1?.client.getUserId(),
      device_id: c1?.client.getDeviceId(),
      focus: { user_id: mesh.refC.userId, device_id: mesh.refC.deviceId },
    });
    // one link per pair of foci, placed by the smaller (user_id, device_id)
    const { focusA, focusB, refA, refB, refC } = mesh;
    for (const [focus, to, dialer] of [
      [focusA, refB, true],
      [focusA, refC, true],
      [focusB, refA, false],
      [focusB, refC, true],
    ] as const) {
      expect(await mesh.linkOf(focus, to)).toMatchObject({ dialer, state: "connected" });
    }
  }, 90_000);

  it("answers m.call.connect_to_focus with an ack for a focus in use and M_FORBIDDEN otherwise", async () => {
    const a1 = mesh.members[0] as Member;
    const ask = (focus: FocusRef, txn: string) =>
      a1.bot.sendMessage({
        type: DataChannelNames.connectToFocus.stable,
        content: {
          conf_id: "",
          room_id: mesh.roomId,
          focus: { user_id: focus.userId, device_id: focus.deviceId },
        },
        txn_id: txn,
      });
    ask(mesh.refB, "ctf-1");
    ask({ userId: "@nobody:hs", deviceId: "X" }, "ctf-2");
    const reply = (txn: string) => a1.bot.messages.find((m) => m.content.txn_id === txn);
    await Bot.waitFor(() => !!reply("ctf-1") && !!reply("ctf-2"), "both replies", 5000);
    expect(reply("ctf-1")?.type).toBe(DataChannelNames.ack.stable);
    expect(reply("ctf-2")).toMatchObject({
      type: DataChannelNames.error.stable,
      content: { errcode: DataChannelErrorCode.forbidden },
    });
  }, 10_000);

  it("each subscribed track crosses a link once, however many subscribe behind it", async () => {
    const [a1, , b1, b2] = mesh.members as Member[] as [Member, Member, Member, Member];
    const video = { streamId: a1.bot.streamId, trackId: a1.bot.videoTrackId };
    const sentBefore = (await mesh.sentOver(mesh.focusA, mesh.refB, key(video))) ?? 0;
    const before = {
      link: sentBefore,
      b1: packetsFrom(b1.bot, a1.bot, video.trackId),
      b2: packetsFrom(b2.bot, a1.bot, video.trackId),
    };
    await new Promise((r) => setTimeout(r, 3000));
    const link = await mesh.linkOf(mesh.focusA, mesh.refB);
    const crossed = (link?.sent[key(video)] ?? 0) - before.link;
    const gotB1 = packetsFrom(b1.bot, a1.bot, video.trackId) - before.b1;
    const gotB2 = packetsFrom(b2.bot, a1.bot, video.trackId) - before.b2;
    // both of B's bots receive the video, but it crosses the link as one stream
    expect(gotB1).toBeGreaterThan(5);
    expect(gotB2).toBeGreaterThan(5);
    expect(crossed).toBeGreaterThan(0.6 * Math.max(gotB1, gotB2));
    expect(crossed).toBeLessThan(1.4 * Math.max(gotB1, gotB2));
    // exactly the four tracks of A's own bots cross A -> B
    const ownA = mesh.members.slice(0, 2).flatMap((m) => tracksOf(m.bot).map(key));
    expect(Object.keys(link?.sent ?? {}).sort()).toEqual(ownA.sort());
  }, 30_000);

  it("a track nobody behind a link subscribes to stops crossing it", async () => {
    const [a1, , b1, b2] = mesh.members as Member[] as [Member, Member, Member, Member];
    const video = { stream_id: a1.bot.streamId, track_id: a1.bot.videoTrackId };
    const k = `${video.stream_id}/${video.track_id}`;
    b1.bot.unsubscribe([video]);
    await until(
      async () => (await mesh.sentOver(mesh.focusA, mesh.refB, k)) !== undefined,
      "still crossing while b2 subscribes",
      1000,
    );
    b2.bot.unsubscribe([video]);
    await until(
      async () => (await mesh.sentOver(mesh.focusA, mesh.refB, k)) === undefined,
      "the video no longer crosses A -> B",
      10_000,
    );
    // C's bots still subscribe: it still crosses A -> C
    expect(await mesh.sentOver(mesh.focusA, mesh.refC, k)).toBeGreaterThan(0);
    const frozen = packetsFrom(b1.bot, a1.bot, video.track_id);
    await new Promise((r) => setTimeout(r, 1000));
    expect(packetsFrom(b1.bot, a1.bot, video.track_id)).toBeLessThanOrEqual(frozen + 5);
    b1.bot.subscribe([{ ...video, width: 320, height: 180 }]);
    b2.bot.subscribe([{ ...video, width: 640, height: 360 }]);
    await until(
      async () => ((await mesh.sentOver(mesh.focusA, mesh.refB, k)) ?? 0) > 20,
      "the video crosses A -> B again once subscribed",
      10_000,
    );
  }, 30_000);

  it("exports each link's state, tracks relayed, packets and bitrate as metrics", async () => {
    await metricsOf(mesh.focusA); // the bitrate is measured between two scrapes
    await new Promise((r) => setTimeout(r, 500));
    const text = await metricsOf(mesh.focusA);
    const peerB = `peer="${mesh.refB.userId}|${mesh.refB.deviceId}"`;
    const line = (name: string, extra = "") =>
      text.split("\n").find((l) => l.startsWith(name) && l.includes(peerB) && l.includes(extra));
    expect(line("matrix_focus_link_state", 'state="connected"')).toMatch(/ 1$/);
    expect(line("matrix_focus_link_tracks_relayed", 'direction="out"')).toMatch(/ 4$/);
    expect(line("matrix_focus_link_tracks_relayed", 'direction="in"')).toMatch(/ 4$/);
    expect(Number(line("matrix_focus_link_packets_out")?.split(" ").pop())).toBeGreaterThan(100);
    expect(Number(line("matrix_focus_link_bitrate_out_bps")?.split(" ").pop())).toBeGreaterThan(
      10_000,
    );
  }, 10_000);

  it("refuses a link from a device no member of the conference uses as its focus", async () => {
    const owner = (mesh.members[0] as Member).client;
    const rogue = await mesh.users.register("rogue");
    await owner.invite(mesh.roomId, rogue.getUserId() as string);
    await rogue.joinRoom(mesh.roomId);
    const hangups: Record<string, unknown>[] = [];
    rogue.on(ClientEvent.ToDeviceEvent, (ev: MatrixEvent) => {
      if (ev.getType() === CallEventNames.hangup.stable) hangups.push(ev.getContent());
    });
    const device = rogue.getDeviceId() as string;
    const { type, content } = encodeCallEvent({
      kind: "invite",
      content: {
        call_id: "rogue-link",
        conf_id: "",
        room_id: mesh.roomId,
        party_id: device,
        device_id: device,
        version: Values.callVersion,
        sender_session_id: "rogue",
        dest_session_id: "",
        offer: { type: "offer", sdp: "v=0\r\n" },
        lifetime: 30_000,
      },
    });
    await rogue.sendToDevice(
      type,
      new Map([[mesh.refA.userId, new Map([[mesh.refA.deviceId, content]])]]),
    );
    await Bot.waitFor(() => hangups.length > 0, "the focus's refusal", 10_000);
    expect(hangups[0]).toMatchObject({ call_id: "rogue-link", reason: HangupReason.notAMember });
    expect(
      await mesh.linkOf(mesh.focusA, { userId: rogue.getUserId() as string, deviceId: device }),
    ).toBeUndefined();
  }, 20_000);

  it("a mute change crosses the links to mesh.members on other foci", async () => {
    const b2 = mesh.members[3] as Member;
    const own = (muted: boolean) => ({
      [b2.bot.streamId]: {
        purpose: Values.purposeUsermedia,
        audio_muted: muted,
        video_muted: false,
        tracks: {
          [b2.bot.audioTrackId]: { kind: "audio" as const },
          [b2.bot.videoTrackId]: { kind: "video" as const },
        },
      },
    });
    b2.bot.sendMessage({
      type: DataChannelNames.sdpStreamMetadataChanged.stable,
      content: { sdp_stream_metadata: own(true) },
    });
    const elsewhere = [mesh.members[0], mesh.members[4]] as Member[]; // on focus A and focus C
    await Bot.waitFor(
      () => elsewhere.every((m) => m.bot.metadata[b2.bot.streamId]?.audio_muted === true),
      "mesh.members on A and C see b2 muted",
      5000,
    );
    b2.bot.sendMessage({
      type: DataChannelNames.sdpStreamMetadataChanged.stable,
      content: { sdp_stream_metadata: own(false) },
    });
    await Bot.waitFor(
      () => elsewhere.every((m) => m.bot.metadata[b2.bot.streamId]?.audio_muted === false),
      "mesh.members on A and C see b2 unmuted",
      5000,
    );
  }, 15_000);

  it("nothing circulates: a focus relays over links only what its own clients publish", async () => {
    for (const [focus, own] of [
      [mesh.focusA, mesh.members.slice(0, 2)],
      [mesh.focusB, mesh.members.slice(2, 4)],
    ] as const) {
      const ownKeys = new Set(own.flatMap((m) => tracksOf(m.bot).map(key)));
      const state = await stateOf(focus);
      const conf = state.links.find((c) => c.conference.roomId === mesh.roomId);
      expect(conf?.links.length).toBe(2);
      for (const l of conf?.links ?? []) {
        for (const k of Object.keys(l.sent)) expect(ownKeys.has(k)).toBe(true);
      }
      const dump = state.conferences.find((d) => d.roomId === mesh.roomId);
      const relayed = dump?.publications.filter((p) => p.origin !== undefined) ?? [];
      expect(relayed.length).toBe(8); // the other four bots' audio and video
    }
    // B holds A's tracks but never sends them on to C
    const [a1] = mesh.members as Member[];
    const toC = await mesh.linkOf(mesh.focusB, mesh.refC);
    expect(
      toC?.sent[
        key({ streamId: a1?.bot.streamId as string, trackId: a1?.bot.audioTrackId as string })
      ],
    ).toBeUndefined();
  }, 10_000);

  it("when a focus dies, its participants move to another focus and everyone receives them again", async () => {
    const stay = mesh.members.slice(0, 4);
    const moving = mesh.members.slice(4);
    const oldStreams = moving.map((m) => m.bot.streamId);
    const [a1, a2, b1] = stay as [Member, Member, Member];
    // watch two cross-focus audio tracks of mesh.members who stay: the longest time without a packet
    const watched = [
      () => packetsFrom(b1.bot, a1.bot, a1.bot.audioTrackId),
      () => packetsFrom(a2.bot, b1.bot, b1.bot.audioTrackId),
    ];
    const last = watched.map((count) => ({ count: count(), at: Date.now(), longestStall: 0 }));
    const sampler = setInterval(() => {
      watched.forEach((count, i) => {
        const w = last[i] as { count: number; at: number; longestStall: number };
        const n = count();
        if (n > w.count) Object.assign(w, { count: n, at: Date.now() });
        else w.longestStall = Math.max(w.longestStall, Date.now() - w.at);
      });
    }, 50);
    const killedAt = Date.now();
    mesh.focusC.process.kill("SIGKILL");
    // failover as a client does it: membership naming the next focus, then a new call there
    for (const m of moving) {
      await m.bot.close();
      m.focus = mesh.refA;
      m.bot = mesh.botFor(m.client, m.focus);
      await mesh.writeMembership(m.client, m.focus);
      await m.bot.join();
    }
    await mesh.subscribeEveryone();
    await Bot.waitFor(
      () => mesh.everyoneReceivesEveryone(10),
      "everyone receives everyone again",
      30_000,
    ).catch((e: unknown) => mesh.diagnosed(e));
    const took = Date.now() - killedAt;
    console.warn(`failover: everyone receives the moved participants ${took} ms after the kill`);
    expect(took).toBeLessThan(15_000);
    // the dead focus's links and streams are gone
    await until(
      async () =>
        !(await mesh.linkOf(mesh.focusA, mesh.refC)) &&
        !(await mesh.linkOf(mesh.focusB, mesh.refC)),
      "links to the dead focus removed",
      10_000,
    );
    await Bot.waitFor(
      () => stay.every((m) => oldStreams.every((s) => m.bot.metadata[s] === undefined)),
      "the old streams left everyone's metadata",
      10_000,
    );
    // the others kept their media all along: no audio gap longer than 1.5 s (the event loop of
    // this process, which runs all bots, lags on a loaded machine)
    clearInterval(sampler);
    for (const w of last) expect(w.longestStall).toBeLessThan(1500);
  }, 90_000);

  it("a track its publisher stops sending leaves the other foci and stops crossing links", async () => {
    const a1 = mesh.members[0] as Member;
    const k = key({ streamId: a1.bot.streamId, trackId: a1.bot.videoTrackId });
    expect(await mesh.sentOver(mesh.focusA, mesh.refB, k)).toBeGreaterThan(0);
    await a1.bot.stopVideo();
    const elsewhere = mesh.members.filter((m) => m.focus.userId !== mesh.refA.userId);
    await Bot.waitFor(
      () =>
        elsewhere.every((m) => {
          const tracks = m.bot.metadata[a1.bot.streamId]?.tracks ?? {};
          return (
            tracks[a1.bot.audioTrackId] !== undefined && tracks[a1.bot.videoTrackId] === undefined
          );
        }),
      "a1's video left the metadata on B, a1's audio stayed",
      10_000,
    );
    await until(
      async () => (await mesh.sentOver(mesh.focusA, mesh.refB, k)) === undefined,
      "a1's video no longer crosses A -> B",
      10_000,
    );
  }, 25_000);

  it("a member who leaves disappears for the mesh.members on the other foci", async () => {
    const b1 = mesh.members[2] as Member;
    await b1.bot.hangup();
    mesh.members.splice(2, 1);
    await Bot.waitFor(
      () => mesh.members.every((m) => m.bot.metadata[b1.bot.streamId] === undefined),
      "b1's stream left everyone's metadata",
      10_000,
    );
  }, 15_000);
});
