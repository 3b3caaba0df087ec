// A track a participant sends: its identity on the wire (msid stream id + track id), its
// owner and the TrackReceiver that carries its media.
import type { SiblingLayer } from "../cascade/layerTracks.ts";
import type { TrackReceiver } from "../media/forwarding/TrackReceiver.ts";
import type { MediaKind } from "../media/webrtc/types.ts";
import type { DeviceRef } from "./inputs.ts";

export interface Publication {
  readonly key: string;
  readonly streamId: string;
  readonly trackId: string;
  readonly kind: MediaKind;
  readonly owner: DeviceRef;
  /** call_id of the owner's call (the publication ends with that call). */
  readonly ownerCallId: string;
  readonly receiver: TrackReceiver;
  /** Cascading: the focus the track entered the cascade at, when it came in over a link. */
  readonly origin?: DeviceRef;
  /** A spread conference: the track came from another part (worker) of it over a sibling link. */
  readonly viaSibling?: boolean;
  /** From a sibling part: the simulcast layers it offers of this track (layerTracks.ts). */
  siblingLayers?: SiblingLayer[];
}

/** Whether the track came over a link (from another focus or a sibling part), not from a client here. */
export function isRelayed(pub: Publication): boolean {
  return pub.origin !== undefined || pub.viaSibling === true;
}

export function publicationKey(streamId: string, trackId: string): string {
  return `${streamId}\u0000${trackId}`;
}
