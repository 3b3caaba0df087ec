// The load process's own CPU over the joins, sampled every `everyMs`, so that the share of
// its core it used between two moments (a subscribe phase's start and its last first key
// frame) can be told afterwards. A load process that was busy all the while has delayed the
// renegotiations it answers, and join → keyframe then measures it as much as the SUT.

export interface CpuSample {
  at: number;
  /** User + system CPU of the process so far, in milliseconds. */
  cpuMs: number;
}

function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export class CpuTrace {
  readonly samples: CpuSample[] = [];
  #timer: NodeJS.Timeout | undefined;

  readonly #now: () => number;
  readonly #cpuMs: () => number;

  constructor(now: () => number, cpuMs: () => number = processCpuMs) {
    this.#now = now;
    this.#cpuMs = cpuMs;
  }

  /** Starts a new trace (the old samples are dropped). */
  start(everyMs = 50): void {
    this.stop();
    this.samples.length = 0;
    this.sample();
    this.#timer = setInterval(() => this.sample(), everyMs);
    this.#timer.unref();
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  sample(): void {
    this.samples.push({ at: this.#now(), cpuMs: this.#cpuMs() });
  }

  stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.sample();
  }

  /**
   * The share of one core used between `from` and `to` (clamped to the trace), from the
   * samples nearest inside that span; undefined when the span holds fewer than two samples.
   */
  busyShare(from: number, to: number): number | undefined {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= to);
    const first = inside[0];
    const last = inside[inside.length - 1];
    if (!first || !last || last.at <= first.at) return undefined;
    return (last.cpuMs - first.cpuMs) / (last.at - first.at);
  }
}
