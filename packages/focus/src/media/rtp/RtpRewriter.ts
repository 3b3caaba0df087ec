// Keeps one continuous RTP stream towards a subscriber while the source changes underneath
// (simulcast layer switches, a publisher restarting its encoder): sequence numbers, timestamps
// and, for VP8, picture id and TL0PICIDX continue from where the previous source stopped.
// RFC 3550 §5.1 (header fields), RFC 7741 §4.2 (VP8 descriptor). The SSRC itself is the
// sender's own; the caller writes it.
import { add16, add32, seqNewer, sub16, sub32 } from "./seq.ts";
import { emptyVp8Descriptor, parseVp8Into, writeVp8PictureId, writeVp8Tl0PicIdx } from "./vp8.ts";

export interface RtpRewriterOptions {
  /** RTP clock rate of the codec (90000 for video, 48000 for Opus). */
  clockRate: number;
  /** Rewrite VP8 picture id and TL0PICIDX (video). */
  vp8: boolean;
  /** First output sequence number (default: random). */
  initialSequenceNumber?: number;
  /** First output timestamp (default: random). */
  initialTimestamp?: number;
  /** First output picture id (default: keep the source's). */
  initialPictureId?: number;
}

const PIC_MOD = 0x8000;

/** One descriptor for every rewriter: a payload is parsed and rewritten synchronously. */
const vp8 = emptyVp8Descriptor();

export class RtpRewriter {
  readonly #o: RtpRewriterOptions;
  #ssrc: number | undefined;
  #seqOffset = 0;
  #tsOffset = 0;
  #picOffset = 0;
  #tl0Offset = 0;
  #lastSeq: number;
  #lastTs: number;
  #lastArrival = 0;
  #lastPic: number | undefined;
  #lastTl0: number | undefined;
  #epochStart = 0;
  #started = false;
  /** Number of source changes after the first packet. */
  switches = 0;
  /** The output sequence number and timestamp of the last packet `rewrite` mapped. */
  sequenceNumber = 0;
  timestamp = 0;

  constructor(o: RtpRewriterOptions) {
    this.#o = o;
    this.#lastSeq = sub16(o.initialSequenceNumber ?? Math.floor(Math.random() * 0x10000), 1);
    this.#lastTs = o.initialTimestamp ?? Math.floor(Math.random() * 0x100000000) >>> 0;
  }

  /** The source currently mapped, if any. */
  get sourceSsrc(): number | undefined {
    return this.#ssrc;
  }

  /** Highest sequence number written so far. */
  get lastSequenceNumber(): number {
    return this.#lastSeq;
  }

  /**
   * Maps a packet to the output stream (the result in `sequenceNumber` and `timestamp`); a new
   * SSRC starts a new source epoch. VP8 fields are rewritten in `payload` in place;
   * `arrivalMs` steps the timestamp across a source change. Allocates nothing.
   */
  rewrite(
    ssrc: number,
    sequenceNumber: number,
    timestamp: number,
    payload: Uint8Array,
    arrivalMs: number,
  ): void {
    const isVp8 = this.#o.vp8 && parseVp8Into(payload, vp8);
    if (ssrc !== this.#ssrc)
      this.#startEpoch(
        ssrc,
        sequenceNumber,
        timestamp,
        arrivalMs,
        isVp8 && vp8.pictureIdBits ? vp8.pictureId : undefined,
        isVp8 && vp8.tl0PicIdxOffset >= 0 ? vp8.tl0PicIdx : undefined,
      );
    const outSeq = add16(sequenceNumber, this.#seqOffset);
    const outTs = add32(timestamp, this.#tsOffset);
    if (isVp8) {
      if (vp8.pictureIdBits) {
        const pic = (vp8.pictureId + this.#picOffset) % PIC_MOD;
        writeVp8PictureId(payload, vp8, pic);
        if (this.#lastPic === undefined || picNewer(pic, this.#lastPic)) this.#lastPic = pic;
      }
      if (vp8.tl0PicIdxOffset >= 0) {
        const tl0 = (vp8.tl0PicIdx + this.#tl0Offset) & 0xff;
        writeVp8Tl0PicIdx(payload, vp8, tl0);
        if (this.#lastTl0 === undefined || ((tl0 - this.#lastTl0) & 0xff) < 0x80)
          this.#lastTl0 = tl0;
      }
    }
    if (seqNewer(outSeq, this.#lastSeq)) {
      this.#lastSeq = outSeq;
      this.#lastTs = outTs;
      this.#lastArrival = arrivalMs;
    }
    this.sequenceNumber = outSeq;
    this.timestamp = outTs;
  }

  /**
   * The source packet behind an output sequence number of the current epoch (for NACKs the
   * focus must pass upstream), or undefined if it belongs to an earlier source.
   */
  sourceOf(outSeq: number): { ssrc: number; sequenceNumber: number } | undefined {
    if (this.#ssrc === undefined) return undefined;
    if (seqNewer(this.#epochStart, outSeq) || seqNewer(outSeq, this.#lastSeq)) return undefined;
    return { ssrc: this.#ssrc, sequenceNumber: sub16(outSeq, this.#seqOffset) };
  }

  #startEpoch(
    ssrc: number,
    sequenceNumber: number,
    timestamp: number,
    arrivalMs: number,
    pic: number | undefined,
    tl0: number | undefined,
  ): void {
    const first = !this.#started;
    if (!first) this.switches++;
    this.#started = true;
    this.#ssrc = ssrc;
    const nextSeq = add16(this.#lastSeq, 1);
    this.#seqOffset = sub16(nextSeq, sequenceNumber);
    this.#epochStart = nextSeq;
    const elapsed = first ? 0 : Math.max(0, arrivalMs - this.#lastArrival);
    const step = first ? 0 : Math.max(1, Math.round((elapsed * this.#o.clockRate) / 1000));
    this.#tsOffset = sub32(add32(this.#lastTs, step), timestamp);
    if (pic !== undefined) {
      const next =
        this.#lastPic === undefined
          ? (this.#o.initialPictureId ?? pic)
          : (this.#lastPic + 1) % PIC_MOD;
      this.#picOffset = (next - pic + PIC_MOD) % PIC_MOD;
    }
    if (tl0 !== undefined) {
      const next = this.#lastTl0 === undefined ? tl0 : (this.#lastTl0 + 1) & 0xff;
      this.#tl0Offset = (next - tl0) & 0xff;
    }
  }
}

function picNewer(a: number, b: number): boolean {
  const d = (a - b + PIC_MOD) % PIC_MOD;
  return d !== 0 && d < PIC_MOD / 2;
}
