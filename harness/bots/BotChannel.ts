// The bot's data channel to the focus: records every message, answers pings and the focus's
// renegotiation offers, passes announced metadata on, and sends subscriptions and offers.
import { DataChannelNames, isName, type SdpStreamMetadata, Values } from "@matrix-focus/protocol";
import type { RTCDataChannel, RTCPeerConnection } from "werift";

export type JsonMessage = { type: string; content: Record<string, unknown>; txn_id?: string };

export type SubscriptionItem = {
  stream_id: string;
  track_id: string;
  width?: number;
  height?: number;
};

export class BotChannel {
  /** Every data-channel message from the focus, parsed. */
  readonly messages: JsonMessage[] = [];
  answerPings: boolean;
  pingsReceived = 0;
  /** How many of the focus's next renegotiation offers to drop unanswered (as a buggy client). */
  offersToIgnore = 0;
  /**
   * Answer renegotiations without a=msid lines and under another SSRC, as a non-browser client
   * might (browsers keep both).
   */
  answerWithoutMsid = false;
  /** Renegotiation offers of the focus dropped so far. */
  offersIgnored = 0;
  readonly #pc: RTCPeerConnection;
  readonly #metadataChanged: (meta: SdpStreamMetadata) => void;
  #dc: RTCDataChannel | undefined;

  constructor(
    pc: RTCPeerConnection,
    answerPings: boolean,
    metadataChanged: (meta: SdpStreamMetadata) => void,
  ) {
    this.#pc = pc;
    this.answerPings = answerPings;
    this.#metadataChanged = metadataChanged;
  }

  get open(): boolean {
    return this.#dc?.readyState === "open";
  }

  /** Creates the data channel (before the first offer). */
  create(): void {
    this.#dc = this.#pc.createDataChannel(Values.dataChannelLabel, { ordered: true });
    this.#dc.onMessage.subscribe((data) => this.#onMessage(data.toString()));
  }

  send(msg: JsonMessage): void {
    this.sendRaw(JSON.stringify(msg));
  }

  /** Sends any text (to test malformed input); nothing while the channel is not open. */
  sendRaw(text: string): void {
    if (this.#dc?.readyState === "open") this.#dc.send(text);
  }

  /** Sends m.call.track_subscription. */
  subscription(
    content: { subscribe?: SubscriptionItem[]; unsubscribe?: SubscriptionItem[] },
    txnId?: string,
  ): void {
    this.send({
      type: DataChannelNames.trackSubscription.stable,
      content,
      ...(txnId ? { txn_id: txnId } : {}),
    });
  }

  /** Makes a fresh local offer and sends it as m.call.negotiate. */
  async offer(): Promise<void> {
    const offer = await this.#pc.createOffer();
    await this.#pc.setLocalDescription(offer);
    this.send({
      type: DataChannelNames.negotiate.stable,
      content: { description: { type: "offer", sdp: this.#pc.localDescription?.sdp ?? "" } },
    });
  }

  #onMessage(raw: string): void {
    let msg: JsonMessage;
    try {
      msg = JSON.parse(raw) as JsonMessage;
    } catch {
      return;
    }
    this.messages.push(msg);
    const meta = msg.content?.sdp_stream_metadata as SdpStreamMetadata | undefined;
    if (isName(DataChannelNames.ping, msg.type)) {
      this.pingsReceived++;
      if (this.answerPings) this.send({ type: DataChannelNames.pong.stable, content: {} });
    } else if (isName(DataChannelNames.sdpStreamMetadataChanged, msg.type)) {
      if (meta) this.#metadataChanged(meta);
    } else if (isName(DataChannelNames.negotiate, msg.type)) {
      const d = msg.content.description as { type: "offer" | "answer"; sdp: string };
      if (meta) this.#metadataChanged(meta);
      if (d.type === "offer" && this.offersToIgnore > 0) {
        this.offersToIgnore--;
        this.offersIgnored++;
      } else if (d.type === "offer") void this.#answerOffer(d.sdp);
      else void this.#pc.setRemoteDescription(d).catch(() => {});
    }
  }

  async #answerOffer(sdp: string): Promise<void> {
    await this.#pc.setRemoteDescription({ type: "offer", sdp });
    const answer = await this.#pc.createAnswer();
    await this.#pc.setLocalDescription(answer);
    const local = this.#pc.localDescription?.sdp ?? "";
    const sent = this.answerWithoutMsid
      ? local
          .replace(/^a=msid:.*\r?\n/gm, "")
          .replace(/^a=ssrc:(\d+) /gm, (_, n: string) => `a=ssrc:${(Number(n) + 1) >>> 0} `)
      : local;
    this.send({
      type: DataChannelNames.negotiate.stable,
      content: { description: { type: "answer", sdp: sent } },
    });
  }
}
