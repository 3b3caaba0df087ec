// A fixed-bucket histogram of non-negative values (e.g. delays in ms): constant memory
// however many samples, percentiles exact to one bucket width. Histograms merge, so each
// subscriber keeps its own and the run adds them up.

export interface HistogramData {
  /** Width of one bucket, in the unit of the values. */
  width: number;
  /** counts[i] = samples in [i*width, (i+1)*width); the last bucket also takes everything above. */
  counts: number[];
  total: number;
}

export class Histogram {
  readonly width: number;
  readonly counts: number[];
  total = 0;

  constructor(width = 0.1, buckets = 20_000) {
    this.width = width;
    this.counts = new Array<number>(buckets).fill(0);
  }

  add(value: number): void {
    const last = this.counts.length - 1;
    const i = Math.min(last, Math.max(0, Math.floor(value / this.width)));
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.total++;
  }

  merge(other: HistogramData): void {
    if (other.width !== this.width || other.counts.length !== this.counts.length) {
      throw new Error("cannot merge histograms with different buckets");
    }
    for (let i = 0; i < other.counts.length; i++) {
      this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    }
    this.total += other.total;
  }

  toData(): HistogramData {
    return { width: this.width, counts: [...this.counts], total: this.total };
  }

  static from(data: HistogramData): Histogram {
    const h = new Histogram(data.width, data.counts.length);
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
      if (seen >= rank) return (i + 1) * this.width;
    }
    return this.counts.length * this.width;
  }
}

/** Percentile of a small list of exact values (nearest rank). */
export function percentileOf(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}
