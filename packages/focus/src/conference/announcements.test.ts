import type { DataChannelMessage, SdpStreamMetadata } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { announce, SubscribableSets, sendSubscribable, subscribableFor } from "./announcements.ts";
import type { Participant } from "./Participant.ts";
import type { Publication } from "./Publication.ts";

/** A stand-in with what announcing touches: its data channel and what it was last sent. */
function participant(name: string, o: { link?: boolean; sibling?: boolean; open?: boolean } = {}) {
  const sent: DataChannelMessage[] = [];
  const p = {
    name,
    ended: false,
    link:
      o.link || o.sibling
        ? { focus: { userId: "@f:x", deviceId: name }, dialer: true, sibling: o.sibling === true }
        : undefined,
    lastAnnouncement: undefined as string | undefined,
    sendEncoded(wire: string) {
      if (o.open === false) return false;
      sent.push(JSON.parse(wire) as DataChannelMessage);
      return true;
    },
  };
  return { p: p as unknown as Participant, sent };
}

const nameOf = (p: Participant) => (p as unknown as { name: string }).name;
const streamsOf = (m: DataChannelMessage) =>
  (m.content as { sdp_stream_metadata: SdpStreamMetadata }).sdp_stream_metadata;

const meta = (...streams: string[]): string =>
  JSON.stringify(Object.fromEntries(streams.map((s) => [s, { purpose: "m.usermedia" as const }])));

describe("announcing subscribable sets", () => {
  it("sends a participant its set only when it differs from the one last sent to it", () => {
    const a = participant("a");
    sendSubscribable(a.p, meta("s1"));
    sendSubscribable(a.p, meta("s1"));
    sendSubscribable(a.p, meta("s1", "s2"));
    expect(a.sent.map((m) => Object.keys(streamsOf(m)))).toEqual([["s1"], ["s1", "s2"]]);
  });

  it("sends again later to a participant whose data channel was not open the first time", () => {
    const closed = participant("a", { open: false });
    sendSubscribable(closed.p, meta("s1"));
    expect(closed.p.lastAnnouncement).toBeUndefined();
  });

  it("leaves out the one participant whose own publications changed", () => {
    const a = participant("a");
    const b = participant("b");
    const c = participant("c");
    announce(new Set([a.p]), [a.p, b.p, c.p], () => meta("s1"));
    expect([a.sent.length, b.sent.length, c.sent.length]).toEqual([0, 1, 1]);
  });

  it("tells everyone when several participants' publications changed in one batch", () => {
    const a = participant("a");
    const b = participant("b");
    announce(new Set([a.p, b.p]), [a.p, b.p], (p) => meta(`not-${nameOf(p)}`));
    expect([a.sent.length, b.sent.length]).toEqual([1, 1]);
  });

  it("does not echo a link's changes to other links, but tells them a local change", () => {
    const from = participant("link1", { link: true });
    const other = participant("link2", { link: true });
    const device = participant("dev");
    announce(new Set([from.p]), [from.p, other.p, device.p], () => meta("s1"));
    expect([other.sent.length, device.sent.length]).toEqual([0, 1]);
    announce(new Set([from.p, device.p]), [from.p, other.p, device.p], () => meta("s1", "s2"));
    expect([other.sent.length, device.sent.length]).toEqual([1, 2]);
  });

  it("tells a sibling part what another focus's link changed, and that focus what a sibling changed", () => {
    const focusLink = participant("focus", { link: true });
    const sibling = participant("part2", { sibling: true });
    const sibling2 = participant("part3", { sibling: true });
    announce(new Set([focusLink.p]), [focusLink.p, sibling.p], () => meta("s1"));
    expect(sibling.sent.length).toBe(1);
    announce(new Set([sibling.p]), [focusLink.p, sibling.p, sibling2.p], () => meta("s1", "s2"));
    expect([focusLink.sent.length, sibling2.sent.length]).toEqual([1, 0]);
  });
});

/** A publication stand-in with what the metadata reads. */
function pub(owner: string, streamId: string, trackId: string, kind: "audio" | "video") {
  const layers = kind === "video" ? [{ rid: "f", width: 1280, height: 720 }] : [];
  return {
    key: `${streamId}/${trackId}`,
    streamId,
    trackId,
    kind,
    owner: { userId: `@${owner}:x`, deviceId: owner },
    ownerCallId: `call-${owner}`,
    receiver: { layers: () => layers },
  } as unknown as Publication;
}

/** Devices (and links) as `subscribableFor` reads them, by call id. */
function calls(...names: { name: string; link?: boolean }[]) {
  const map = new Map<string, Participant>();
  for (const { name, link } of names) {
    map.set(`call-${name}`, {
      callId: `call-${name}`,
      link: link
        ? { focus: { userId: "@f:x", deviceId: name }, dialer: true, sibling: false }
        : undefined,
      ownMetadata: { [`s-${name}`]: { purpose: "m.usermedia", audio_muted: name === "b" } },
    } as unknown as Participant);
  }
  return map;
}

const focus = { userId: "@focus:x", deviceId: "FOCUS" };

describe("subscribable sets of one announcement", () => {
  it("gives every device exactly the set subscribableFor gives it, from one shared metadata", () => {
    const pubs = ["a", "b", "c"].flatMap((n) => [
      pub(n, `s-${n}`, `${n}-audio`, "audio"),
      pub(n, `s-${n}`, `${n}-video`, "video"),
    ]);
    const all = calls({ name: "a" }, { name: "b" }, { name: "c" });
    const sets = new SubscribableSets(pubs, all, focus);
    for (const p of all.values()) {
      expect(JSON.stringify(sets.for(p))).toBe(
        JSON.stringify(subscribableFor(p, pubs, all, focus)),
      );
      expect(sets.jsonFor(p)).toBe(JSON.stringify(sets.for(p)));
    }
    const [a, b] = [...all.values()] as [Participant, Participant];
    expect(Object.keys(sets.for(a))).toEqual(["s-b", "s-c"]);
    expect(sets.for(a)["s-c"]).toBe(sets.for(b)["s-c"]);
  });

  it("builds its own set for a device that shares a stream id with another owner", () => {
    const pubs = [
      pub("a", "shared", "a-audio", "audio"),
      pub("b", "shared", "b-video", "video"),
      pub("c", "s-c", "c-audio", "audio"),
    ];
    const all = calls({ name: "a" }, { name: "b" }, { name: "c" });
    const sets = new SubscribableSets(pubs, all, focus);
    for (const p of all.values()) {
      expect(JSON.stringify(sets.for(p))).toBe(
        JSON.stringify(subscribableFor(p, pubs, all, focus)),
      );
      expect(sets.jsonFor(p)).toBe(JSON.stringify(sets.for(p)));
    }
    const a = all.get("call-a") as Participant;
    expect(Object.keys(sets.for(a).shared?.tracks ?? {})).toEqual(["b-video"]);
  });

  it("gives a link to another focus the set subscribableFor gives it, marked with this focus", () => {
    const pubs = [pub("a", "s-a", "a-audio", "audio"), pub("l", "s-l", "l-audio", "audio")];
    const all = calls({ name: "a" }, { name: "l", link: true });
    const link = all.get("call-l") as Participant;
    const sets = new SubscribableSets(pubs, all, focus);
    expect(sets.for(link)).toEqual(subscribableFor(link, pubs, all, focus));
    expect(sets.jsonFor(link)).toBe(JSON.stringify(sets.for(link)));
    expect(Object.keys(sets.for(link))).toEqual(["s-a"]);
  });
});
