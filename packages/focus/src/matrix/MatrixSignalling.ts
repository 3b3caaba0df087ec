// Sends call events to devices: encodes them with the protocol package (in the configured
// name variant) and PUTs them to /sendToDevice, unencrypted. A failure the homeserver may
// recover from (unreachable, 5xx, 429) is retried with back-off under the same transaction id,
// which the homeserver treats as one message.
// Spec: https://spec.matrix.org/v1.16/client-server-api/#put_matrixclientv3sendtodeviceeventtypetxnid
import { type CallEvent, encodeCallEvent, type NameVariant } from "@matrix-focus/protocol";
import type { CallSignalling } from "../conference/ConferenceManager.ts";
import type { DeviceRef } from "../conference/inputs.ts";
import { configDefaults } from "../config/defaults.ts";
import { type Clock, systemClock } from "../util/Clock.ts";
import { backoffDelay } from "./backoff.ts";
import { type MatrixHttp, MatrixRequestError, seg } from "./MatrixHttp.ts";

export interface MatrixSignallingOptions {
  http: MatrixHttp;
  variant: NameVariant;
  clock?: Clock;
  attempts?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

export class MatrixSignalling implements CallSignalling {
  readonly #o: MatrixSignallingOptions;
  readonly #clock: Clock;
  readonly #txnPrefix = `mf${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  #txn = 0;

  constructor(o: MatrixSignallingOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
  }

  async sendCallEvent(to: DeviceRef, event: CallEvent): Promise<void> {
    const { type, content } = encodeCallEvent(event, this.#o.variant);
    const path = `/_matrix/client/v3/sendToDevice/${seg(type)}/${seg(`${this.#txnPrefix}.${this.#txn++}`)}`;
    const body = { messages: { [to.userId]: { [to.deviceId]: content } } };
    const d = configDefaults.sendToDevice;
    const attempts = this.#o.attempts ?? d.attempts;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#o.http.request("PUT", path, { body });
        return;
      } catch (err) {
        const retryable =
          !(err instanceof MatrixRequestError) || err.status >= 500 || err.status === 429;
        if (!retryable || attempt + 1 >= attempts) throw err;
        const delay =
          err instanceof MatrixRequestError && err.retryAfterMs !== undefined
            ? err.retryAfterMs
            : backoffDelay(attempt, {
                initialMs: this.#o.backoffInitialMs ?? d.backoffInitialMs,
                maxMs: this.#o.backoffMaxMs ?? d.backoffMaxMs,
                factor: 2,
                jitter: 0.5,
              });
        await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, delay));
      }
    }
  }
}
