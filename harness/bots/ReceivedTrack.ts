// What a bot records about one track it receives from the focus.
import { readVp8 } from "./syntheticMedia.ts";

export class ReceivedTrack {
  readonly streamId: string;
  readonly trackId: string;
  readonly kind: "audio" | "video";
  packets = 0;
  bytes = 0;
  keyframes = 0;
  /** Packets whose sequence number was not the previous one + 1 (a gap or a jump). */
  sequenceGaps = 0;
  /** Packets older than one already received. */
  outOfOrder = 0;
  /** Picture ids that did not continue the previous frame's (+0 within a frame, +1 across). */
  pictureIdJumps = 0;
  /** Frame width of the last keyframe received (video). */
  lastKeyframeWidth: number | undefined;
  readonly ssrcs = new Set<number>();
  /** SSRC and RTP timestamp of the last packet. */
  lastSsrc: number | undefined;
  lastTimestamp: number | undefined;
  /** Packets ignored on purpose and NACKed (dropReceivedVideo). */
  dropped = 0;
  /** Of the dropped packets, how many arrived again (retransmitted). */
  recovered = 0;
  readonly #awaited = new Set<number>();
  readonly #seen = new Set<number>();
  #highestExt: number | undefined;
  #lowestExt: number | undefined;
  #lastSeq: number | undefined;
  #lastPictureId: number | undefined;

  constructor(streamId: string, trackId: string, kind: "audio" | "video") {
    this.streamId = streamId;
    this.trackId = trackId;
    this.kind = kind;
  }

  /** Sequence numbers between the first and the last received that never arrived. */
  get missing(): number {
    if (this.#highestExt === undefined || this.#lowestExt === undefined) return 0;
    return this.#highestExt - this.#lowestExt + 1 - this.#seen.size;
  }

  #record(seq: number): void {
    const last = this.#highestExt;
    let ext = seq;
    if (last !== undefined) {
      const d = ((seq - (last & 0xffff) + 0x8000) & 0xffff) - 0x8000;
      ext = last + d;
    }
    this.#seen.add(ext);
    if (last === undefined || ext > last) this.#highestExt = ext;
    if (this.#lowestExt === undefined || ext < this.#lowestExt) this.#lowestExt = ext;
  }

  /** Records a packet ignored on purpose; a later packet with its number counts as recovered. */
  droppedOnPurpose(seq: number): void {
    this.dropped++;
    this.#awaited.add(seq);
  }

  /** True (and counted as recovered) when `seq` is a packet dropped on purpose. */
  retransmissionArrived(seq: number): boolean {
    if (!this.#awaited.delete(seq)) return false;
    this.recovered++;
    return true;
  }

  packetArrived(ssrc: number, seq: number, payload: Buffer, timestamp?: number): void {
    this.packets++;
    this.lastSsrc = ssrc;
    if (timestamp !== undefined) this.lastTimestamp = timestamp;
    this.bytes += payload.length;
    this.ssrcs.add(ssrc);
    this.#record(seq);
    if (this.#lastSeq !== undefined) {
      const d = (seq - this.#lastSeq) & 0xffff;
      if (d === 0 || d >= 0x8000) {
        this.outOfOrder++;
        return;
      }
      if (d !== 1) this.sequenceGaps++;
    }
    this.#lastSeq = seq;
    if (this.kind !== "video") return;
    const v = readVp8(payload);
    if (v.keyframe) {
      this.keyframes++;
      this.lastKeyframeWidth = v.width;
    }
    if (v.pictureId !== undefined) {
      if (this.#lastPictureId !== undefined) {
        const d = (v.pictureId - this.#lastPictureId + 0x8000) % 0x8000;
        if (d > 1) this.pictureIdJumps++;
      }
      this.#lastPictureId = v.pictureId;
    }
  }
}
