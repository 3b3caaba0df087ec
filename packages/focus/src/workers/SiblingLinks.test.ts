import type { CallEvent } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import type { ConferenceLinks, LinkView } from "../conference/ConferenceManager.ts";
import type { ConferenceInput } from "../conference/inputs.ts";
import { conferenceKeyString } from "../conference/inputs.ts";
import { createLogger } from "../observability/logger.ts";
import { SiblingLinks, siblingIndex, siblingRef } from "./SiblingLinks.ts";

const me = { userId: "@focus:hs", deviceId: "DEV" };
const conference = { roomId: "!r:hs", confId: "" };
const key = conferenceKeyString(conference);

function setUp(spreadParts: number[]) {
  const posted: { w: number; input: ConferenceInput }[] = [];
  const links: ConferenceLinks[][] = [[], [], []];
  const siblings = new SiblingLinks({
    me,
    workers: 3,
    spread: () => (spreadParts.length > 1 ? [{ key, parts: spreadParts }] : []),
    linksOf: (w) => links[w] ?? [],
    post: (w, input) => posted.push({ w, input }),
    logger: createLogger({ level: "silent" }),
  });
  return { siblings, posted, links };
}

const part = (localParticipants: number, l: LinkView[] = []): ConferenceLinks => ({
  conference,
  localParticipants,
  links: l,
});
const view = (focus: { userId: string; deviceId: string }, sibling: boolean): LinkView => ({
  callId: `call-${focus.deviceId}`,
  focus,
  dialer: true,
  sibling,
  state: "connected",
  tracksOut: 0,
  tracksIn: 0,
  packetsOut: 0,
  bytesOut: 0,
  sent: {},
});

describe("sibling links", () => {
  it("names each worker's part after the focus's device and recognises only those names", () => {
    expect(siblingRef(me, 1)).toEqual({ userId: "@focus:hs", deviceId: "DEV#worker1" });
    expect(siblingIndex(me, siblingRef(me, 2), 3)).toBe(2);
    expect(siblingIndex(me, siblingRef(me, 3), 3)).toBeUndefined();
    expect(siblingIndex(me, me, 3)).toBeUndefined();
    expect(siblingIndex(me, { userId: "@other:hs", deviceId: "DEV#worker1" }, 3)).toBeUndefined();
    expect(siblingIndex(me, { userId: "@focus:hs", deviceId: "DEV#workerX" }, 3)).toBeUndefined();
  });

  it("has the lower part with clients dial each other part with clients, as a sibling link", () => {
    const { siblings, posted, links } = setUp([1, 0, 2]);
    links[0] = [part(2)];
    links[1] = [part(3)];
    links[2] = [part(0)]; // no clients (yet): nobody links with it
    siblings.check(0);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({
      w: 0,
      input: { kind: "linkRequested", conference, focus: siblingRef(me, 1), sibling: true },
    });
  });

  it("counts the home part as in use while it links to another focus, even without clients", () => {
    const { siblings, posted, links } = setUp([1, 0]);
    links[0] = [part(2)];
    links[1] = [part(0, [view({ userId: "@b:hs", deviceId: "B" }, false)])];
    siblings.check(0);
    expect(posted.map((p) => p.input.kind)).toEqual(["linkRequested"]);
  });

  it("drops the sibling links of a conference that is no longer spread", () => {
    const { siblings, posted, links } = setUp([0]);
    links[0] = [
      part(2, [view(siblingRef(me, 1), true), view({ userId: "@b:hs", deviceId: "B" }, false)]),
    ];
    siblings.check(0);
    expect(posted).toEqual([
      { w: 0, input: { kind: "linkDropped", conference, callId: "call-DEV#worker1" } },
    ]);
  });

  it("delivers a call event meant for a sibling to its worker, from the sender's part", () => {
    const { siblings } = setUp([0, 1]);
    const event = {
      kind: "answer",
      content: {
        call_id: "c1",
        conf_id: "",
        room_id: "!r:hs",
        party_id: "DEV",
        device_id: "DEV",
        version: "1",
        sender_session_id: "s",
        dest_session_id: "",
        seq: 0,
        answer: { type: "answer", sdp: "v=0" },
      },
    } as unknown as CallEvent;
    expect(siblings.deliver(0, { userId: "@ann:hs", deviceId: "ANN" }, event)).toBeUndefined();
    const d = siblings.deliver(0, siblingRef(me, 1), event);
    expect(d?.worker).toBe(1);
    expect(d?.input).toMatchObject({
      kind: "callEventReceived",
      conference,
      sender: siblingRef(me, 0),
      link: true,
      sibling: true,
      event: { kind: "answer", content: { party_id: "DEV#worker0", device_id: "DEV#worker0" } },
    });
  });
});
