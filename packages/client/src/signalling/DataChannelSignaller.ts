// Signalling on the data channel after set-up (MSC3898): typed send and receive of protocol
// messages, pong for every ping, a keep-alive watchdog (no ping for `pingTimeoutMs` = the focus
// is gone), and [ours] ack/error replies read and logged. Malformed messages from the focus get
// an error reply and are never fatal.

import {
  type DataChannelContents,
  type DataChannelMessage,
  DataChannelNames,
  encodeDataChannelMessage,
  errorReplyFor,
  isName,
  parseDataChannelMessage,
} from "@matrix-focus/protocol";
import { CallDefaults } from "../defaults.ts";
import type { Logger } from "../log.ts";
import type { Clock, TimerHandle } from "../util/Clock.ts";
import { Emitter } from "../util/Emitter.ts";

/** The part of RTCDataChannel the signaller uses. */
export interface DataChannelLike {
  readonly readyState: string;
  send(data: string): void;
  addEventListener(
    type: "open" | "close" | "message",
    listener: (ev: { data?: unknown }) => void,
  ): void;
}

export type DataChannelSignallerEvents = {
  opened: () => void;
  closed: () => void;
  negotiateReceived: (content: DataChannelContents["negotiate"]) => void;
  metadataChangedReceived: (content: DataChannelContents["sdpStreamMetadataChanged"]) => void;
  pingTimedOut: () => void;
  focusErrorReceived: (content: DataChannelContents["error"]) => void;
};

export interface DataChannelSignallerOptions {
  channel: DataChannelLike;
  clock: Clock;
  logger: Logger;
  pingTimeoutMs?: number;
}

export class DataChannelSignaller extends Emitter<DataChannelSignallerEvents> {
  #channel: DataChannelLike;
  #clock: Clock;
  #logger: Logger;
  #pingTimeoutMs: number;
  #watchdog: TimerHandle | undefined;
  #closed = false;
  #txn = 0;
  lastPingAt: number | undefined;

  constructor(o: DataChannelSignallerOptions) {
    super(o.logger);
    this.#channel = o.channel;
    this.#clock = o.clock;
    this.#logger = o.logger;
    this.#pingTimeoutMs = o.pingTimeoutMs ?? CallDefaults.pingTimeoutMs;
    o.channel.addEventListener("open", () => {
      this.#logger.info("data channel open");
      this.#armWatchdog();
      this.emit("opened");
    });
    o.channel.addEventListener("close", () => {
      if (this.#closed) return;
      this.#logger.info("data channel closed");
      this.#clock.clearTimeout(this.#watchdog);
      this.emit("closed");
    });
    o.channel.addEventListener("message", (ev) => this.handleRaw(ev.data));
    if (o.channel.readyState === "open") this.#armWatchdog();
  }

  get open(): boolean {
    return !this.#closed && this.#channel.readyState === "open";
  }

  /** Sends a message; false when the channel is not open. A `txn_id` is added when asked. */
  send(msg: DataChannelMessage, withTxn = false): boolean {
    if (!this.open) return false;
    const m = withTxn ? { ...msg, txnId: `c${++this.#txn}` } : msg;
    try {
      this.#channel.send(encodeDataChannelMessage(m));
      return true;
    } catch (e) {
      this.#logger.warn(`could not send ${msg.kind} on the data channel`, e);
      return false;
    }
  }

  /** Handles one raw message from the focus. */
  handleRaw(raw: unknown): void {
    if (this.#closed) return;
    if (typeof raw !== "string") {
      this.#logger.warn("ignored a binary data-channel message");
      return;
    }
    const parsed = parseDataChannelMessage(raw);
    if (!parsed.ok) {
      this.#logger.warn(`malformed data-channel message: ${parsed.error.message}`);
      const reply = errorReplyFor(parsed.error);
      // Never answer a broken reply with another reply.
      if (!isReplyType(parsed.error.inReplyTo)) this.send(reply);
      return;
    }
    const msg = parsed.value;
    switch (msg.kind) {
      case "ping":
        this.lastPingAt = this.#clock.now();
        this.#armWatchdog();
        this.send({ kind: "pong", content: {} });
        return;
      case "negotiate":
        this.emit("negotiateReceived", msg.content);
        return;
      case "sdpStreamMetadataChanged":
        this.emit("metadataChangedReceived", msg.content);
        return;
      case "ack":
        this.#logger.debug(`focus acknowledged ${msg.content.txn_id}`);
        return;
      case "error":
        this.#logger.warn(
          `focus reported ${msg.content.errcode} for ${msg.content.in_reply_to}: ${msg.content.error}`,
        );
        this.emit("focusErrorReceived", msg.content);
        return;
      default:
        this.#logger.warn(`ignored data-channel message ${msg.kind} (not for clients)`);
    }
  }

  close(): void {
    this.#closed = true;
    this.#clock.clearTimeout(this.#watchdog);
    this.removeAll();
  }

  #armWatchdog(): void {
    this.#clock.clearTimeout(this.#watchdog);
    this.#watchdog = this.#clock.setTimeout(() => {
      if (this.#closed) return;
      this.#logger.warn(`no ping from the focus for ${this.#pingTimeoutMs} ms`);
      this.emit("pingTimedOut");
    }, this.#pingTimeoutMs);
  }
}

function isReplyType(type: string | null | undefined): boolean {
  if (typeof type !== "string") return false;
  return isName(DataChannelNames.ack, type) || isName(DataChannelNames.error, type);
}
