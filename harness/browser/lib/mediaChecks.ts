// Checks that a page really receives media from given users: the browser's own inbound RTP
// statistics for the tracks of their streams must keep rising.
import { Values } from "@matrix-focus/protocol";
import type { Page } from "playwright-core";
import { remoteStreamTracks } from "./callSetup.ts";
import { describeTiles } from "./demoPage.ts";
import { inboundStats } from "./peerConnections.ts";
import { waitFor } from "./wait.ts";

const usermedia = Values.purposeUsermedia;

export interface ReceivedMedia {
  userId: string;
  framesDecodedGain: number;
  audioBytesGain: number;
  audioEnergy: number;
  frameWidth: number;
  frameHeight: number;
}

async function snapshot(page: Page, userIds: string[]) {
  const streams = (await remoteStreamTracks(page)).filter((s) => s.purpose === usermedia);
  const stats = await inboundStats(page);
  return userIds.map((userId) => {
    const s = streams.find((x) => x.userId === userId);
    const video = s?.video.map((id) => stats[id]).find((x) => x !== undefined);
    const audio = s?.audio.map((id) => stats[id]).find((x) => x !== undefined);
    return {
      userId,
      framesDecoded: video?.framesDecoded ?? 0,
      frameWidth: video?.frameWidth ?? 0,
      frameHeight: video?.frameHeight ?? 0,
      audioBytes: audio?.bytesReceived ?? 0,
      audioEnergy: audio?.totalAudioEnergy ?? 0,
    };
  });
}

/**
 * Waits until `page` decodes video from every one of `userIds` (frames decoded rising between
 * two samples) and receives their audio (bytes rising, non-zero energy).
 */
export async function waitForMediaFrom(
  page: Page,
  userIds: string[],
  timeoutMs?: number,
): Promise<ReceivedMedia[]> {
  let last = await snapshot(page, userIds);
  return waitFor(
    `video and audio from ${userIds.join(", ")}`,
    async () => {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await snapshot(page, userIds);
      const result = now.map((n, i) => {
        const before = last[i]!;
        return {
          userId: n.userId,
          framesDecodedGain: n.framesDecoded - before.framesDecoded,
          audioBytesGain: n.audioBytes - before.audioBytes,
          audioEnergy: n.audioEnergy,
          frameWidth: n.frameWidth,
          frameHeight: n.frameHeight,
        };
      });
      last = now;
      const ok = result.every(
        (r) => r.framesDecodedGain > 0 && r.audioBytesGain > 0 && r.audioEnergy > 0,
      );
      return ok ? result : undefined;
    },
    {
      timeoutMs,
      describe: async () => `${JSON.stringify(last)} tiles ${await describeTiles(page)}`,
    },
  );
}
