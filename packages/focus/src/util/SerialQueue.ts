// Runs async jobs one at a time, in the order they were pushed. A failing job is reported to
// the error handler and never stops the queue (a bad input must not stall a conference).

export type Job = () => void | Promise<void>;

export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;
  #closed = false;
  readonly #onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void = () => {}) {
    this.#onError = onError;
  }

  /** Number of jobs pushed and not yet finished. */
  get pending(): number {
    return this.#pending;
  }

  /** Appends a job; resolves when that job has finished (never rejects). */
  push(job: Job): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#pending++;
    const run = this.#tail.then(async () => {
      try {
        if (!this.#closed) await job();
      } catch (err) {
        try {
          this.#onError(err);
        } catch {
          // an error handler that throws must not break the queue either
        }
      } finally {
        this.#pending--;
      }
    });
    this.#tail = run;
    return run;
  }

  /** Resolves once every job pushed so far has finished. */
  drain(): Promise<void> {
    return this.#tail;
  }

  /** Refuses new jobs and skips queued ones that have not started. */
  close(): Promise<void> {
    this.#closed = true;
    return this.#tail;
  }
}
