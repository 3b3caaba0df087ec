import { type SdpStreamMetadata, Values } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import { announcedTracks, mayRelayOverLink, siblingTracks, withOrigin } from "./loopGuard.ts";

const me = { userId: "@focus-a:hs", deviceId: "A" };
const peer = { userId: "@focus-b:hs", deviceId: "B" };
const third = { userId: "@focus-c:hs", deviceId: "C" };

const stream = (focus?: { userId: string; deviceId: string }, owner = true) => ({
  purpose: Values.purposeUsermedia,
  ...(owner ? { user_id: "@ann:hs", device_id: "ANN" } : {}),
  tracks: { t1: { kind: "audio" as const }, t2: { kind: "video" as const } },
  ...(focus ? { focus: { user_id: focus.userId, device_id: focus.deviceId } } : {}),
});

describe("loop guard", () => {
  it("relays over a link only tracks a client published here", () => {
    expect(mayRelayOverLink({ viaLink: false })).toBe(true);
    expect(mayRelayOverLink({ viaLink: true })).toBe(false);
  });

  it("relays to another focus what a sibling part's clients publish, but not another focus's tracks", () => {
    expect(mayRelayOverLink({ viaLink: false, viaSibling: true })).toBe(true);
    expect(mayRelayOverLink({ viaLink: true, viaSibling: true })).toBe(false);
  });

  it("relays to a sibling part local and other foci's tracks, never a sibling's", () => {
    const sibling = { sibling: true };
    expect(mayRelayOverLink({ viaLink: false }, sibling)).toBe(true);
    expect(mayRelayOverLink({ viaLink: true }, sibling)).toBe(true);
    expect(mayRelayOverLink({ viaLink: false, viaSibling: true }, sibling)).toBe(false);
    expect(mayRelayOverLink({ viaLink: true, viaSibling: true }, sibling)).toBe(false);
  });

  it("marks every stream announced to a link with this focus as its origin", () => {
    const meta: SdpStreamMetadata = { s1: stream() };
    expect(withOrigin(meta, me).s1?.focus).toEqual({ user_id: "@focus-a:hs", device_id: "A" });
    expect(meta.s1?.focus).toBeUndefined();
  });

  it("takes the announcing focus's own streams with their original owner", () => {
    const tracks = announcedTracks({ s1: stream(peer) }, me, peer);
    expect(tracks).toEqual([
      {
        streamId: "s1",
        trackId: "t1",
        kind: "audio",
        owner: { userId: "@ann:hs", deviceId: "ANN" },
        origin: peer,
      },
      {
        streamId: "s1",
        trackId: "t2",
        kind: "video",
        owner: { userId: "@ann:hs", deviceId: "ANN" },
        origin: peer,
      },
    ]);
  });

  it("refuses streams that originate here or at a third focus, and streams without owner", () => {
    const meta: SdpStreamMetadata = {
      mine: stream(me),
      relayed: stream(third),
      anonymous: stream(peer, false),
    };
    expect(announcedTracks(meta, me, peer)).toEqual([]);
  });

  it("takes a stream without an origin as the announcing focus's own", () => {
    expect(announcedTracks({ s1: stream() }, me, peer)[0]?.origin).toEqual(peer);
  });

  it("takes a sibling part's streams as local unless they name another focus", () => {
    const meta: SdpStreamMetadata = {
      local: stream(),
      mine: stream(me),
      relayed: stream(third),
      anonymous: stream(peer, false),
    };
    const tracks = siblingTracks(meta, me);
    expect(tracks.map((t) => `${t.streamId}/${t.trackId}`)).toEqual([
      "local/t1",
      "local/t2",
      "mine/t1",
      "mine/t2",
      "relayed/t1",
      "relayed/t2",
    ]);
    expect(tracks.map((t) => t.origin)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      third,
      third,
    ]);
  });
});
