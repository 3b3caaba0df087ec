// The /sync long-poll loop: hands each response to a handler, then stores the next_batch
// token (so a restart resumes after it and old to-device messages are not replayed). A failed
// request is retried after a jittered, capped back-off; an unknown token stops the loop.
// Spec: https://spec.matrix.org/v1.16/client-server-api/#get_matrixclientv3sync
import type { Logger } from "pino";
import { configDefaults } from "../config/defaults.ts";
import type { Clock } from "../util/Clock.ts";
import { type BackoffOptions, backoffDelay } from "./backoff.ts";
import { type MatrixHttp, MatrixRequestError } from "./MatrixHttp.ts";
import type { SyncResponse } from "./syncTypes.ts";

export interface SyncLoopOptions {
  http: MatrixHttp;
  clock: Clock;
  logger: Logger;
  timeoutMs: number;
  backoff: BackoffOptions;
  /** Token to resume from (stored by an earlier run); undefined = initial sync. */
  since: string | undefined;
  /** Handles one response; `first` is true for the first response after start. */
  onSync: (response: SyncResponse, first: boolean) => Promise<void>;
  /** Stores the token after a response was handled. */
  saveToken: (nextBatch: string) => Promise<void>;
  /** Told when the loop becomes healthy or unhealthy. */
  onHealthChanged?: (syncing: boolean) => void;
  onError?: (err: unknown) => void;
  /** Told when the loop gives up (the token is no longer valid). */
  onFatal?: (err: unknown) => void;
  random?: () => number;
  /** Added to the long-poll timeout: a /sync taking longer is abandoned and retried, ms. */
  requestTimeoutMs?: number;
}

export class SyncLoop {
  readonly #o: SyncLoopOptions;
  #since: string | undefined;
  #abort = new AbortController();
  #running: Promise<void> | undefined;
  #syncing = false;
  #wake: (() => void) | undefined;

  constructor(o: SyncLoopOptions) {
    this.#o = o;
    this.#since = o.since;
  }

  get syncing(): boolean {
    return this.#syncing;
  }

  get since(): string | undefined {
    return this.#since;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** Stops the loop and waits for the request in flight to end. Idempotent. */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#wake?.();
    await this.#running;
    this.#setSyncing(false);
  }

  async #run(): Promise<void> {
    let failures = 0;
    let first = true;
    while (!this.#abort.signal.aborted) {
      try {
        const response = await this.#o.http.request<SyncResponse>(
          "GET",
          "/_matrix/client/v3/sync",
          {
            query: { since: this.#since, timeout: first ? 0 : this.#o.timeoutMs },
            signal: this.#abort.signal,
            timeoutMs:
              this.#o.timeoutMs + (this.#o.requestTimeoutMs ?? configDefaults.requestTimeoutMs),
          },
        );
        if (this.#abort.signal.aborted) break;
        await this.#o.onSync(response, first);
        first = false;
        this.#since = response.next_batch;
        await this.#o.saveToken(response.next_batch);
        failures = 0;
        this.#setSyncing(true);
      } catch (err) {
        if (this.#abort.signal.aborted) break;
        this.#setSyncing(false);
        this.#o.onError?.(err);
        if (err instanceof MatrixRequestError && err.errcode === "M_UNKNOWN_TOKEN") {
          this.#o.logger.error({ err: err.message }, "the access token was rejected; sync stopped");
          this.#o.onFatal?.(err);
          break;
        }
        const delay =
          err instanceof MatrixRequestError && err.retryAfterMs !== undefined
            ? err.retryAfterMs
            : backoffDelay(failures, this.#o.backoff, this.#o.random);
        failures++;
        this.#o.logger.warn({ err: String(err), retryInMs: delay, failures }, "sync failed");
        await this.#sleep(delay);
      }
    }
  }

  #setSyncing(syncing: boolean): void {
    if (this.#syncing === syncing) return;
    this.#syncing = syncing;
    this.#o.logger.info({ syncing }, syncing ? "syncing" : "not syncing");
    this.#o.onHealthChanged?.(syncing);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#o.clock.setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        this.#o.clock.clearTimeout(timer);
        resolve();
      };
    });
  }
}
