import type { Clock } from "../clock.ts";

/** Wakes long-polling syncs when anything they might report has changed. */
export class Notifier {
  private readonly waiters = new Set<() => void>();
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  notify(): void {
    const current = [...this.waiters];
    this.waiters.clear();
    for (const wake of current) wake();
  }

  /** Resolves on the next change, after `timeoutMs`, or when `signal` aborts. */
  waitForChange(timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted || timeoutMs <= 0) {
        resolve();
        return;
      }
      const done = () => {
        this.clock.clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = this.clock.setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
