// Builds the sdp_stream_metadata the focus announces: for each forwarded stream, the original
// owner's user_id/device_id, the owner's purpose and mute flags, and the tracks it has.
import { type SdpStreamMetadata, type StreamMetadata, Values } from "@matrix-focus/protocol";
import { isRelayed, type Publication } from "./Publication.ts";

/** What each owner last said about its own streams, by device key. */
export type OwnMetadataLookup = (
  ownerCallId: string,
  streamId: string,
) => StreamMetadata | undefined;

export function metadataOf(pubs: Iterable<Publication>, own: OwnMetadataLookup): SdpStreamMetadata {
  const out: SdpStreamMetadata = {};
  for (const p of pubs) {
    const base = own(p.ownerCallId, p.streamId);
    let entry = out[p.streamId];
    if (!entry) {
      entry = {
        ...(base ?? {}),
        purpose: base?.purpose ?? Values.purposeUsermedia,
        user_id: p.owner.userId,
        device_id: p.owner.deviceId,
        tracks: {},
      };
      out[p.streamId] = entry;
    }
    const declared = base?.tracks?.[p.trackId];
    const biggest = fullSize(p);
    (entry.tracks as NonNullable<StreamMetadata["tracks"]>)[p.trackId] = {
      ...(declared ?? {}),
      kind: p.kind,
      // a relayed track arrives as the one layer its link carries: keep the origin's size;
      // a sibling part that offers it per layer told each layer's size
      ...(p.kind === "video" && biggest.width !== undefined && !isRelayed(p) ? biggest : {}),
      ...(p.siblingLayers?.length ? largest(p.siblingLayers) : {}),
    };
  }
  return out;
}

/** The size of a publication's largest layer, as far as its keyframes told it. */
export function fullSize(p: Publication): { width?: number; height?: number } {
  return largest(p.receiver.layers());
}

/** The size of the widest of these layers (none known: empty). */
function largest(layers: readonly { width?: number; height?: number }[]): {
  width?: number;
  height?: number;
} {
  return layers.reduce<{ width?: number; height?: number }>(
    (acc, l) => ((l.width ?? 0) > (acc.width ?? 0) ? { width: l.width, height: l.height } : acc),
    {},
  );
}
