// Sending and receiving to-device call messages through the app's MatrixClient. Messages go out
// unencrypted, one at a time and in order (an invite before its candidates); received ones are
// validated with the protocol's schemas and handed on, malformed ones are logged and dropped.

import { type CallEvent, CallEventNames, lookUpName, parseCallEvent } from "@matrix-focus/protocol";
import { ClientEvent, type MatrixClient, type MatrixEvent } from "matrix-js-sdk";
import type { Logger } from "../log.ts";
import { Emitter } from "../util/Emitter.ts";

export type ToDeviceChannelEvents = {
  callEventReceived: (event: CallEvent, sender: string) => void;
};

export class ToDeviceChannel extends Emitter<ToDeviceChannelEvents> {
  #client: MatrixClient;
  #logger: Logger;
  #queue: Promise<void> = Promise.resolve();
  #listener = (ev: MatrixEvent): void => this.#onToDevice(ev);

  constructor(client: MatrixClient, logger: Logger) {
    super(logger);
    this.#client = client;
    this.#logger = logger;
    client.on(ClientEvent.ToDeviceEvent, this.#listener);
  }

  /** Queues one message to a device; resolves when sent (rejects when sending failed). */
  send(
    userId: string,
    deviceId: string,
    msg: { type: string; content: Record<string, unknown> },
  ): Promise<void> {
    const run = this.#queue.then(async () => {
      const map = new Map([[userId, new Map([[deviceId, msg.content]])]]);
      await this.#client.sendToDevice(msg.type, map);
      this.#logger.debug(
        `sent ${msg.type} seq ${String(msg.content.seq)} to ${userId}/${deviceId}`,
      );
    });
    this.#queue = run.catch((e) => {
      this.#logger.warn(`could not send ${msg.type} to ${userId}/${deviceId}`, e);
    });
    return run;
  }

  close(): void {
    this.#client.off(ClientEvent.ToDeviceEvent, this.#listener);
    this.removeAll();
  }

  #onToDevice(ev: MatrixEvent): void {
    const type = ev.getType();
    if (lookUpName(CallEventNames, type) === undefined) return;
    const parsed = parseCallEvent(type, ev.getContent());
    if (!parsed.ok) {
      this.#logger.warn(
        `dropped a malformed ${type} from ${ev.getSender()}: ${parsed.error.message}`,
      );
      return;
    }
    this.emit("callEventReceived", parsed.value, ev.getSender() ?? "");
  }
}
