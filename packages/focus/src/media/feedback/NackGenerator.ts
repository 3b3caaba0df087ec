// Detects packets missing from one incoming RTP stream (one SSRC) so the focus can NACK them
// upstream (RFC 4585 §6.2.1). werift's own receiver-side NACK mixes the SSRCs of simulcast
// layers, so the focus does this itself, per layer.
import { nackDefaults } from "../defaults.ts";
import { add16, seqNewer, sub16 } from "../rtp/seq.ts";

export class NackGenerator {
  #highest: number | undefined;
  readonly #missing = new Set<number>();

  /** Records an arriving packet; returns the sequence numbers newly found missing. */
  packetArrived(seq: number): number[] {
    if (this.#highest === undefined) {
      this.#highest = seq;
      return [];
    }
    if (this.#missing.delete(seq)) return [];
    if (!seqNewer(seq, this.#highest)) return [];
    const gap = sub16(seq, this.#highest) - 1;
    const lost: number[] = [];
    if (gap > 0 && gap <= nackDefaults.maxGap) {
      for (let i = 1; i <= gap; i++) lost.push(add16(this.#highest, i));
      for (const s of lost) this.#missing.add(s);
      while (this.#missing.size > nackDefaults.maxMissing) {
        const first = this.#missing.values().next().value as number;
        this.#missing.delete(first);
      }
    }
    this.#highest = seq;
    return lost;
  }

  /** True while `seq` is known to be missing. */
  isMissing(seq: number): boolean {
    return this.#missing.has(seq);
  }
}
