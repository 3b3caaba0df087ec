import { describe, expect, it } from "vitest";
import type { ConferenceLinks, LinkView } from "../conference/ConferenceManager.ts";
import { conferenceKeyString } from "../conference/inputs.ts";
import type { WorkerSnapshot } from "./messages.ts";
import { emptyStats } from "./stats.ts";
import { mergedLinks, mergedStats } from "./views.ts";

const conference = { roomId: "!r:hs", confId: "" };
const key = conferenceKeyString(conference);

const link = (deviceId: string, sibling: boolean, tracksOut = 0): LinkView => ({
  callId: `call-${deviceId}`,
  focus: { userId: "@f:hs", deviceId },
  dialer: true,
  sibling,
  state: "connected",
  tracksOut,
  tracksIn: 0,
  packetsOut: 0,
  bytesOut: 0,
  sent: {},
});

function snapshot(
  participants: number,
  links: LinkView[],
  subscriptions: number,
  viaSibling: number,
): WorkerSnapshot {
  const c: ConferenceLinks = { conference, localParticipants: participants - links.length, links };
  return {
    seq: 1,
    stats: {
      ...emptyStats(),
      conferences: 1,
      conferenceParts: 1,
      participants,
      publishedTracks: 4,
      subscriptions,
    },
    dump: [
      {
        ...conference,
        participants: [],
        publications: Array.from({ length: 4 }, (_, i) => ({
          streamId: "s",
          trackId: `t${i}`,
          kind: "audio" as const,
          owner: { userId: "@u:hs", deviceId: "U" },
          ...(i < viaSibling ? { viaSibling: true } : {}),
          layers: [],
          subscribers: 0,
        })),
      },
    ],
    links: [c],
  };
}

describe("the focus-wide view of a conference spread over two workers", () => {
  // home: two devices, a link to another focus, a sibling link carrying 2 tracks
  const home = snapshot(4, [link("B", false), link("DEV#worker1", true, 2)], 6, 2);
  // other part: two devices, the sibling link carrying 2 tracks
  const other = snapshot(3, [link("DEV#worker0", true, 2)], 6, 2);

  it("shows the cascade one conference, at its home, with every part's devices and no sibling link", () => {
    expect(mergedLinks([home, other], () => 0)).toEqual([
      { conference, localParticipants: 4, links: [link("B", false)] },
    ]);
    expect(mergedLinks([home, other], (k) => (k === key ? 1 : undefined))).toEqual([
      { conference, localParticipants: 4, links: [] },
    ]);
  });

  it("counts the conference once and leaves out the sibling calls, their subscriptions and relayed copies", () => {
    expect(mergedStats([home, other])).toMatchObject({
      conferences: 1,
      conferenceParts: 2,
      participants: 5,
      subscriptions: 8,
      publishedTracks: 4,
    });
  });
});
