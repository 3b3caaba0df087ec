// The feedback subscribers send about the tracks the focus sends them, read from a decrypted
// compound RTCP packet without werift: NACK (RFC 4585 §6.2.1), PLI (§6.3.1) and FIR (RFC 5104
// §4.3.1) go to the outgoing track whose SSRC they name; receiver reports and source
// descriptions, which the focus does not use, are skipped. A compound that holds anything
// else (a sender report, REMB, BYE, …) or is malformed is left to werift whole, so that what
// werift keeps from it (a publisher's last sender report, for its receiver reports) stays as
// before. A FIR names its media sources in its entries (RFC 5104 §4.3.1.2), not in the field
// werift routes by.
import { RtcpFmt, RtcpType } from "./rtcpTypes.ts";

/** An outgoing track's side of the feedback. */
export interface FeedbackTarget {
  keyframeRequested(): void;
  nacked(lost: number[]): void;
}

const { RR, SDES, RTPFB, PSFB } = RtcpType;
const { NACK: FMT_NACK, PLI: FMT_PLI, FIR: FMT_FIR } = RtcpFmt;
/** Common header, sender SSRC, media source SSRC. */
const FEEDBACK_HEADER = 12;

export class RtcpFeedbackRouter {
  readonly #targets = new Map<number, FeedbackTarget>();
  /** Compounds read here (the rest went to werift). */
  handled = 0;

  /** Feedback naming `ssrc` goes to `target` until `remove(ssrc)`. */
  add(ssrc: number, target: FeedbackTarget): void {
    this.#targets.set(ssrc >>> 0, target);
  }

  remove(ssrc: number, target: FeedbackTarget): void {
    if (this.#targets.get(ssrc >>> 0) === target) this.#targets.delete(ssrc >>> 0);
  }

  /**
   * Delivers the feedback of a plain compound; false (nothing delivered) when the compound
   * holds something else or is malformed, for werift to read. Feedback for an SSRC without a
   * target (a track already removed) is dropped, as werift drops it.
   */
  handle(plain: Buffer): boolean {
    if (!onlyFeedback(plain)) return false;
    this.handled++;
    for (let at = 0; at < plain.length; at = next(plain, at)) {
      const pt = plain[at + 1] as number;
      if (pt !== RTPFB && pt !== PSFB) continue;
      const fmt = (plain[at] as number) & 0x1f;
      const end = next(plain, at);
      if (pt === PSFB && fmt === FMT_FIR) {
        for (let e = at + FEEDBACK_HEADER; e + 8 <= end; e += 8) {
          this.#targets.get(plain.readUInt32BE(e))?.keyframeRequested();
        }
        continue;
      }
      const target = this.#targets.get(plain.readUInt32BE(at + 8));
      if (target === undefined) continue;
      if (pt === PSFB) target.keyframeRequested();
      else target.nacked(nackedSequenceNumbers(plain, at + FEEDBACK_HEADER, end));
    }
    return true;
  }
}

/** The offset of the packet after the one at `at` (RTCP length: 32-bit words minus one). */
function next(plain: Buffer, at: number): number {
  return at + 4 + plain.readUInt16BE(at + 2) * 4;
}

/** True when every packet of the compound is well formed and one this file reads or skips. */
function onlyFeedback(plain: Buffer): boolean {
  if (plain.length < 4) return false;
  for (let at = 0; at < plain.length; ) {
    // version 2, no padding (SRTCP does not pad; a padded packet is left to werift)
    if (plain.length - at < 4 || (plain[at] as number) >> 5 !== 4) return false;
    const end = next(plain, at);
    if (end > plain.length) return false;
    const pt = plain[at + 1] as number;
    const fmt = (plain[at] as number) & 0x1f;
    if (pt === RTPFB || pt === PSFB) {
      if (end - at < FEEDBACK_HEADER) return false;
      if (pt === RTPFB && fmt !== FMT_NACK) return false;
      if (pt === PSFB && fmt !== FMT_PLI && fmt !== FMT_FIR) return false;
    } else if (pt !== RR && pt !== SDES) {
      return false;
    }
    at = end;
  }
  return true;
}

/** The sequence numbers of a generic NACK's entries (PID, then one per set BLP bit). */
function nackedSequenceNumbers(plain: Buffer, from: number, end: number): number[] {
  const lost: number[] = [];
  for (let e = from; e + 4 <= end; e += 4) {
    const pid = plain.readUInt16BE(e);
    const blp = plain.readUInt16BE(e + 2);
    lost.push(pid);
    for (let bit = 0; bit < 16; bit++) {
      if (blp & (1 << bit)) lost.push((pid + bit + 1) & 0xffff);
    }
  }
  return lost;
}
