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

/** Sends every participant except `changed` its new subscribable set. */
export function announce(
  changed: Participant | undefined,
  calls: Iterable<Participant>,
  subscribable: (p: Participant) => SdpStreamMetadata,
): void {
  // A link announces only the other focus's own tracks, so what it changed concerns this
  // focus's clients only; telling the other links would echo announcements between foci.
  const viaLink = changed?.link !== undefined;
  for (const other of calls) {
    if (other === changed || other.ended || (viaLink && other.link)) continue;
    other.sendData({
      kind: "sdpStreamMetadataChanged",
      content: { sdp_stream_metadata: subscribable(other) },
    });
  }
}
