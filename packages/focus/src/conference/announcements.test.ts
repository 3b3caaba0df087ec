import type { DataChannelMessage, SdpStreamMetadata } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { announce, sendSubscribable } from "./announcements.ts";
import type { Participant } from "./Participant.ts";

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
    sendData(msg: DataChannelMessage) {
      if (o.open === false) return false;
      sent.push(msg);
      return true;
    },
  };
  return { p: p as unknown as Participant, sent };
}

const nameOf = (p: Participant) => (p as unknown as { name: string }).name;
const streamsOf = (m: DataChannelMessage) =>
  (m.content as { sdp_stream_metadata: SdpStreamMetadata }).sdp_stream_metadata;

const meta = (...streams: string[]): SdpStreamMetadata =>
  Object.fromEntries(streams.map((s) => [s, { purpose: "m.usermedia" as const }]));

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
