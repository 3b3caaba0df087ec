// Drives harness/browser/pages/publisher.html: a Chromium participant without Matrix whose
// call events go straight to an in-process ConferenceManager (through `toFocus`) and whose
// focus events are handed back with `receiveCallEvent`.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CallEvent,
  type CallEventCommon,
  DataChannelNames,
  type SdpStreamMetadata,
  Values,
} from "@matrix-focus/protocol";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
  "--allow-loopback-in-peer-connection",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

export interface SendStats {
  layers: Record<
    string,
    { frameWidth?: number; bytesSent?: number; limitation?: string; active?: boolean }
  >;
  availableOutgoingBitrate?: number;
}
export interface ReceiveStats {
  mid: string;
  framesDecoded: number;
  frameWidth?: number;
}

/** Serves the page on 127.0.0.1 (a free port) and launches Chromium. */
export async function startPublisherBrowser(): Promise<{
  browser: Browser;
  url: string;
  close(): Promise<void>;
}> {
  const html = readFileSync(new URL("./publisher.html", import.meta.url));
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(html);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  return {
    browser,
    url,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

type PageApi = {
  startPublisher(o: { dataChannelLabel: string; messageNames: Record<string, string> }): Promise<{
    sdp: string;
    streamId: string;
    audioTrackId: string;
    videoTrackId: string;
  }>;
  acceptAnswer(sdp: string): Promise<void>;
  addCandidate(c: unknown): Promise<void>;
  sendStats(): Promise<SendStats>;
  receiveStats(): Promise<ReceiveStats[]>;
  metadata(): SdpStreamMetadata;
  received(): { streamId: string; trackId: string; kind: string; mid: string }[];
  subscribe(items: unknown[]): void;
};

export class PublisherPage {
  readonly page: Page;
  readonly user: { userId: string; deviceId: string };
  readonly callId: string;
  answerSdp = "";
  streamId = "";
  videoTrackId = "";
  audioTrackId = "";
  readonly #toFocus: (event: CallEvent) => void;
  readonly #conference: { roomId: string; confId: string };
  #seq = 0;

  constructor(
    page: Page,
    user: { userId: string; deviceId: string },
    conference: { roomId: string; confId: string },
    toFocus: (event: CallEvent) => void,
  ) {
    this.page = page;
    this.user = user;
    this.callId = `call-${user.deviceId}`;
    this.#conference = conference;
    this.#toFocus = toFocus;
  }

  /** Opens the page, publishes camera + microphone and sends the invite. */
  async join(url: string): Promise<void> {
    await this.page.exposeBinding(
      "candidateGathered",
      (_src, c: { candidate: string; sdpMid?: string; sdpMLineIndex?: number } | null) => {
        if (!c) return;
        const candidates = [
          {
            candidate: c.candidate,
            sdpMid: c.sdpMid ?? null,
            sdpMLineIndex: c.sdpMLineIndex ?? null,
          },
        ];
        this.#toFocus({ kind: "candidates", content: { ...this.#common(), candidates } });
      },
    );
    await this.page.goto(url);
    const messageNames = Object.fromEntries(
      Object.entries(DataChannelNames).map(([k, n]) => [k, n.stable]),
    );
    const offer = await this.page.evaluate(
      (o) => (window as unknown as PageApi).startPublisher(o),
      {
        dataChannelLabel: Values.dataChannelLabel,
        messageNames,
      },
    );
    this.streamId = offer.streamId;
    this.videoTrackId = offer.videoTrackId;
    this.audioTrackId = offer.audioTrackId;
    this.#toFocus({
      kind: "invite",
      content: { ...this.#common(), offer: { type: "offer", sdp: offer.sdp }, lifetime: 60_000 },
    });
  }

  /** Hands an event the focus sent to this device to the page. */
  async receiveCallEvent(event: CallEvent): Promise<void> {
    if (event.kind === "answer") {
      this.answerSdp = event.content.answer.sdp;
      await this.page.evaluate(
        (sdp) => (window as unknown as PageApi).acceptAnswer(sdp),
        this.answerSdp,
      );
    }
    if (event.kind === "candidates") {
      for (const c of event.content.candidates) {
        if (c.candidate)
          await this.page.evaluate((x) => (window as unknown as PageApi).addCandidate(x), c);
      }
    }
  }

  sendStats(): Promise<SendStats> {
    return this.page.evaluate(() => (window as unknown as PageApi).sendStats());
  }

  receiveStats(): Promise<ReceiveStats[]> {
    return this.page.evaluate(() => (window as unknown as PageApi).receiveStats());
  }

  metadata(): Promise<SdpStreamMetadata> {
    return this.page.evaluate(() => (window as unknown as PageApi).metadata());
  }

  received(): Promise<{ streamId: string; trackId: string; kind: string; mid: string }[]> {
    return this.page.evaluate(() => (window as unknown as PageApi).received());
  }

  subscribe(
    items: { stream_id: string; track_id: string; width?: number; height?: number }[],
  ): Promise<void> {
    return this.page.evaluate((x) => (window as unknown as PageApi).subscribe(x), items);
  }

  #common(): CallEventCommon {
    return {
      call_id: this.callId,
      conf_id: this.#conference.confId,
      party_id: this.user.deviceId,
      version: Values.callVersion,
      device_id: this.user.deviceId,
      sender_session_id: `session-${this.user.deviceId}`,
      dest_session_id: "",
      seq: this.#seq++,
      room_id: this.#conference.roomId,
    };
  }
}
