// Where a new video subscription can start without a new keyframe. A subscriber can decode a
// layer from a keyframe on, so it has to wait for the publisher's next one: the focus asks for
// it when the subscription's m-line is negotiated, and it comes a publisher's round trip and
// an encoder's keyframe later (at most one per 200–300 ms per publisher). Instead the focus asks
// as soon as the subscription is made, keeps the layer's packets while it is awaited, and when
// the m-line is negotiated sends the last keyframe and every packet since from what it kept, if
// that keyframe is recent and nothing since is missing; otherwise it asks for one as before
// (decisions/perf-keyframe-start.md).
import type { PacketHistory, StoredPacket } from "../rtp/PacketHistory.ts";

/** The first packet of the last keyframe kept of a layer. */
export interface KeptKeyframe {
  ssrc: number;
  sequenceNumber: number;
  arrivalMs: number;
}

/** True when sequence number `a` comes after `b` (RFC 3550 wrap-around). */
export function seqAfter(a: number, b: number): boolean {
  const d = (a - b) & 0xffff;
  return d !== 0 && d < 0x8000;
}

/**
 * The kept packets from `keyframe` to `newest`, in order, when every one of them is still kept
 * and of the keyframe's SSRC and there are at most `max`; otherwise undefined.
 */
export function keptRunFrom(
  history: PacketHistory,
  keyframe: KeptKeyframe,
  newest: number,
  max: number,
): StoredPacket[] | undefined {
  const count = ((newest - keyframe.sequenceNumber) & 0xffff) + 1;
  if (count > max) return undefined;
  const out: StoredPacket[] = [];
  for (let i = 0; i < count; i++) {
    const p = history.get((keyframe.sequenceNumber + i) & 0xffff);
    if (!p || p.ssrc !== keyframe.ssrc) return undefined;
    out.push(p);
  }
  return out;
}
