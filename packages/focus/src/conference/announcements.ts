// What the focus announces to each participant: the subscribable streams (everyone else's
// publications, with their owners' metadata), and sending that set when it changed.
import type { SdpStreamMetadata } from "@matrix-focus/protocol";
import { mayRelayOverLink, withOrigin } from "../cascade/loopGuard.ts";
import type { DeviceRef } from "./inputs.ts";
import { metadataOf } from "./metadata.ts";
import type { Participant } from "./Participant.ts";
import type { Publication } from "./Publication.ts";

/** The streams `p` may subscribe to; a link gets only tracks published at this focus. */
export function subscribableFor(
  p: Participant,
  publications: Iterable<Publication>,
  calls: ReadonlyMap<string, Participant>,
  focus: DeviceRef,
): SdpStreamMetadata {
  const pubs = [...publications].filter(
    (x) => x.ownerCallId !== p.callId && (!p.link || mayRelayOverLink({ viaLink: !!x.origin })),
  );
  const meta = metadataOf(pubs, (callId, streamId) => calls.get(callId)?.ownMetadata[streamId]);
  return p.link ? withOrigin(meta, focus) : meta;
}

/**
 * Sends every participant its subscribable set where it changed. `changed` holds whose
 * publications changed since the last announcement (`undefined` for "not one participant's").
 */
export function announce(
  changed: ReadonlySet<Participant | undefined>,
  calls: Iterable<Participant>,
  subscribable: (p: Participant) => SdpStreamMetadata,
): void {
  // A participant's own publications are not in its set: when only its own changed, its set
  // did not. A link announces only the other focus's own tracks, so what links changed
  // concerns this focus's clients only; telling the other links would echo announcements
  // between foci.
  const only = changed.size === 1 ? [...changed][0] : undefined;
  const viaLinksOnly = [...changed].every((c) => c?.link !== undefined);
  for (const other of calls) {
    if (other === only || other.ended || (viaLinksOnly && other.link)) continue;
    sendSubscribable(other, subscribable(other));
  }
}

/** Sends `p` its subscribable set unless that is what it was last sent. */
export function sendSubscribable(p: Participant, metadata: SdpStreamMetadata): void {
  const json = JSON.stringify(metadata);
  if (json === p.lastAnnouncement) return;
  const sent = p.sendData({
    kind: "sdpStreamMetadataChanged",
    content: { sdp_stream_metadata: metadata },
  });
  if (sent) p.lastAnnouncement = json;
}
