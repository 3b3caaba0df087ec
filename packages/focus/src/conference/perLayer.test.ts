import { describe, expect, it } from "vitest";
import { layerTrackId } from "../cascade/layerTracks.ts";
import type { LayerInfo } from "../media/simulcast/LayerSelector.ts";
import { subscribableFor } from "./announcements.ts";
import { type LinkDemand, perLayerView, updateLinkDemand } from "./links.ts";
import type { Participant } from "./Participant.ts";
import type { Publication } from "./Publication.ts";
import type { PublicationTable } from "./PublicationTable.ts";

const focus = { userId: "@focus:hs", deviceId: "DEV" };

function pub(
  trackId: string,
  kind: "audio" | "video",
  layers: LayerInfo[],
  more: Partial<Publication> = {},
): Publication {
  return {
    key: `s\u0000${trackId}`,
    streamId: "s",
    trackId,
    kind,
    owner: { userId: "@ann:hs", deviceId: "ANN" },
    ownerCallId: "ann",
    receiver: { layers: () => layers } as unknown as Publication["receiver"],
    ...more,
  };
}

const link = (sibling: boolean) =>
  ({
    callId: "link",
    link: { focus: { userId: "@focus:hs", deviceId: "DEV#worker1" }, dialer: true, sibling },
  }) as unknown as Participant;

const q = { rid: "q", active: true, width: 320, height: 180 };
const h = { rid: "h", active: true, width: 640, height: 360 };
const hUnsized = { rid: "h", active: true };

describe("simulcast tracks announced to a sibling part", () => {
  it("offers a local simulcast video per layer whose size is known, and everything else whole", () => {
    const pubs = [
      pub("audio", "audio", [{ rid: "", active: true }]),
      pub("video", "video", [q, hUnsized]),
      pub("screen", "video", [{ rid: "", active: true, width: 1280, height: 720 }]),
      pub("fresh", "video", [{ rid: "q", active: true }]),
      pub("relayed", "video", [q], { origin: { userId: "@b:hs", deviceId: "B" } }),
    ];
    const tracks = subscribableFor(link(true), pubs, new Map(), focus).s?.tracks ?? {};
    expect(Object.keys(tracks).sort()).toEqual(
      ["audio", "fresh", "relayed", "screen", layerTrackId("video", "q")].sort(),
    );
    expect(tracks[layerTrackId("video", "q")]).toMatchObject({ width: 320, height: 180 });
    // another focus still gets the track whole
    const toFocus = subscribableFor(link(false), pubs.slice(0, 2), new Map(), focus);
    expect(Object.keys(toFocus.s?.tracks ?? {}).sort()).toEqual(["audio", "video"]);
  });

  it("gives a sibling's subscription to one layer the publication and that layer's size", () => {
    const video = pub("video", "video", [q, h]);
    const table = new Map([[video.key, video]]) as unknown as PublicationTable;
    expect(perLayerView(link(true), table, "s", layerTrackId("video", "h"))).toEqual({
      pub: video,
      want: { width: 640, height: 360 },
    });
    expect(perLayerView(link(true), table, "s", layerTrackId("video", "f"))).toBeUndefined();
    expect(perLayerView(link(false), table, "s", layerTrackId("video", "h"))).toBeUndefined();
    expect(perLayerView(link(true), table, "s", "video")).toBeUndefined();
  });

  it("asks a sibling for the layers its subscribers' sizes pick", () => {
    const video = pub("video", "video", [], {
      ownerCallId: "link",
      viaSibling: true,
      siblingLayers: [
        { rid: "q", width: 320, height: 180 },
        { rid: "h", width: 640, height: 360 },
      ],
    });
    const sent: unknown[] = [];
    const sibling = {
      ...link(true),
      ended: false,
      subscriptions: new Map(),
      sendData: (m: unknown) => sent.push(m) > 0,
    } as unknown as Participant;
    const viewer = (want: { width?: number; height?: number }) =>
      ({
        callId: `viewer-${want.width}`,
        subscriptions: new Map([[video.key, { publication: video, want }]]),
      }) as unknown as Participant;
    const calls = new Map<string, Participant>([
      ["link", sibling],
      ["a", viewer({ width: 320, height: 180 })],
      ["b", viewer({ width: 600, height: 340 })],
    ]);
    const demand: LinkDemand = new Map([["link", new Map()]]);
    updateLinkDemand(calls, demand);
    expect(sent).toEqual([
      {
        kind: "trackSubscription",
        content: {
          subscribe: [
            { stream_id: "s", track_id: layerTrackId("video", "q") },
            { stream_id: "s", track_id: layerTrackId("video", "h") },
          ],
        },
      },
    ]);
  });
});
