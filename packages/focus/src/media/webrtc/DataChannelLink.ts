// The data channel a client opened to the focus: text messages in and out.
import type { RTCDataChannel } from "werift";

export class DataChannelLink {
  readonly label: string;
  readonly #dc: RTCDataChannel;

  constructor(dc: RTCDataChannel) {
    this.#dc = dc;
    this.label = dc.label;
  }

  get open(): boolean {
    return this.#dc.readyState === "open";
  }

  /** Sends a text message; false when the channel is not open. */
  send(text: string): boolean {
    if (!this.open) return false;
    try {
      this.#dc.send(text);
      return true;
    } catch {
      return false;
    }
  }

  onMessage(fn: (data: string | Buffer) => void): () => void {
    return this.#dc.onMessage.subscribe(fn).unSubscribe;
  }

  onClosed(fn: () => void): () => void {
    return this.#dc.stateChanged.subscribe((s) => {
      if (s === "closed") fn();
    }).unSubscribe;
  }

  close(): void {
    try {
      this.#dc.close();
    } catch {
      // closing a closed channel
    }
  }
}
