// A two-resolution histogram of non-negative values (e.g. delays in ms): fine buckets up to
// `fineMax`, coarse buckets up to `max`, one overflow bucket above. Constant memory however
// many samples; a percentile is exact to one bucket width. Histograms with the same layout
// merge, so each subscriber keeps its own and the run adds them up.

export interface HistogramLayout {
  fineWidth: number;
  fineMax: number;
  coarseWidth: number;
  max: number;
}

export interface HistogramData {
  layout: HistogramLayout;
  counts: number[];
  total: number;
}

/** 0.1 ms steps up to 100 ms, 1 ms steps up to 10 s. */
export const delayLayout: HistogramLayout = {
  fineWidth: 0.1,
  fineMax: 100,
  coarseWidth: 1,
  max: 10_000,
};

export class Histogram {
  readonly layout: HistogramLayout;
  readonly counts: number[];
  total = 0;
  readonly #fine: number;

  constructor(layout: HistogramLayout = delayLayout) {
    this.layout = layout;
    this.#fine = Math.round(layout.fineMax / layout.fineWidth);
    const coarse = Math.round((layout.max - layout.fineMax) / layout.coarseWidth);
    this.counts = new Array<number>(this.#fine + coarse + 1).fill(0);
  }

  #index(v: number): number {
    const l = this.layout;
    if (!(v > 0)) return 0;
    if (v < l.fineMax) return Math.floor(v / l.fineWidth);
    if (v < l.max) return this.#fine + Math.floor((v - l.fineMax) / l.coarseWidth);
    return this.counts.length - 1;
  }

  /** The upper edge of bucket i (the overflow bucket reports `max`). */
  #upper(i: number): number {
    const l = this.layout;
    if (i < this.#fine) return (i + 1) * l.fineWidth;
    if (i < this.counts.length - 1) return l.fineMax + (i - this.#fine + 1) * l.coarseWidth;
    return l.max;
  }

  add(value: number): void {
    const i = this.#index(value);
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.total++;
  }

  merge(other: HistogramData): void {
    const a = this.layout;
    const b = other.layout;
    const same =
      a.fineWidth === b.fineWidth &&
      a.fineMax === b.fineMax &&
      a.coarseWidth === b.coarseWidth &&
      a.max === b.max;
    if (!same || other.counts.length !== this.counts.length) {
      throw new Error("cannot merge histograms with different buckets");
    }
    for (let i = 0; i < other.counts.length; i++) {
      this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    }
    this.total += other.total;
  }

  toData(): HistogramData {
    return { layout: { ...this.layout }, counts: [...this.counts], total: this.total };
  }

  static from(data: HistogramData): Histogram {
    const h = new Histogram(data.layout);
    h.merge(data);
    return h;
  }

  /** The value below which a fraction q (0..1) of the samples lie: the upper edge of its bucket. */
  percentile(q: number): number | undefined {
    if (this.total === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.round(this.#upper(i) * 1e6) / 1e6;
    }
    return this.layout.max;
  }
}

/** Percentile of a small list of exact values (nearest rank). */
export function percentileOf(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}
