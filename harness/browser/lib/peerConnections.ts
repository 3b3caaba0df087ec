// Records every RTCPeerConnection a page creates, so that a test can read the browser's own
// statistics (inbound audio and video per track) independently of the app under test.
import type { BrowserContext, Page } from "playwright-core";

// Kept as a string: functions handed to the browser must not depend on helpers the test
// transform may add.
const recorderScript = `(() => {
  const Original = window.RTCPeerConnection;
  if (!Original) return;
  const all = [];
  window.__peerConnections = all;
  window.RTCPeerConnection = new Proxy(Original, {
    construct(target, args, newTarget) {
      const pc = Reflect.construct(target, args, newTarget);
      all.push(pc);
      return pc;
    },
  });
})();`;

export async function recordPeerConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: recorderScript });
}

/** What the browser says it received on one inbound track. */
export interface InboundTrackStats {
  kind: "audio" | "video";
  trackIdentifier: string;
  bytesReceived: number;
  packetsReceived: number;
  framesDecoded?: number;
  frameWidth?: number;
  frameHeight?: number;
  totalAudioEnergy?: number;
  totalSamplesReceived?: number;
}

/** Inbound RTP statistics of every open peer connection of the page, keyed by track id. */
export async function inboundStats(page: Page): Promise<Record<string, InboundTrackStats>> {
  return page.evaluate(async () => {
    const pcs =
      (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
    const out: Record<string, InboundTrackStats> = {};
    for (const pc of pcs) {
      if (pc.connectionState === "closed") continue;
      const report = await pc.getStats();
      report.forEach((s: Record<string, unknown>) => {
        if (s.type !== "inbound-rtp" || typeof s.trackIdentifier !== "string") return;
        out[s.trackIdentifier] = {
          kind: s.kind as "audio" | "video",
          trackIdentifier: s.trackIdentifier,
          bytesReceived: Number(s.bytesReceived ?? 0),
          packetsReceived: Number(s.packetsReceived ?? 0),
          framesDecoded: s.framesDecoded as number | undefined,
          frameWidth: s.frameWidth as number | undefined,
          frameHeight: s.frameHeight as number | undefined,
          totalAudioEnergy: s.totalAudioEnergy as number | undefined,
          totalSamplesReceived: s.totalSamplesReceived as number | undefined,
        };
      });
    }
    return out;
  });
}

/** What the page sends per simulcast layer (outbound video RTP), for failure messages. */
export async function outboundVideoLayers(
  page: Page,
): Promise<{ rid: string; frameHeight: number; framesSent: number; active: boolean }[]> {
  return page.evaluate(async () => {
    const pcs =
      (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
    const out: { rid: string; frameHeight: number; framesSent: number; active: boolean }[] = [];
    for (const pc of pcs) {
      if (pc.connectionState === "closed") continue;
      const report = await pc.getStats();
      report.forEach((s: Record<string, unknown>) => {
        if (s.type !== "outbound-rtp" || s.kind !== "video") return;
        out.push({
          rid: String(s.rid ?? ""),
          frameHeight: Number(s.frameHeight ?? 0),
          framesSent: Number(s.framesSent ?? 0),
          active: Boolean(s.active ?? true),
        });
      });
    }
    return out;
  });
}
