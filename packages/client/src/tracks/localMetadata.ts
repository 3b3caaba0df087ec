// The `sdp_stream_metadata` describing what this device publishes (MSC3077): one entry per
// stream with owner, purpose, mute flags and its tracks (ids as in our SDP's msid). Pure.

import { type SdpStreamMetadata, Values } from "@matrix-focus/protocol";
import type { StreamPurpose } from "../types.ts";

export interface Publication {
  streamId: string;
  /** The track id in our SDP (a=msid), which stays when a track is replaced. */
  trackId: string;
  kind: "audio" | "video";
  purpose: StreamPurpose;
  width?: number;
  height?: number;
}

export interface LocalMetadataInput {
  userId: string;
  deviceId: string;
  audioMuted: boolean;
  videoMuted: boolean;
  publications: Publication[];
}

export function buildLocalMetadata(input: LocalMetadataInput): SdpStreamMetadata {
  const md: SdpStreamMetadata = {};
  for (const p of input.publications) {
    let entry = md[p.streamId];
    if (entry === undefined) {
      const usermedia = p.purpose !== Values.purposeScreenshare;
      entry = {
        user_id: input.userId,
        device_id: input.deviceId,
        purpose: p.purpose,
        audio_muted: usermedia ? input.audioMuted : false,
        video_muted: usermedia ? input.videoMuted : false,
        tracks: {},
      };
      md[p.streamId] = entry;
    }
    const track: { kind: "audio" | "video"; width?: number; height?: number } = { kind: p.kind };
    if (p.width !== undefined) track.width = p.width;
    if (p.height !== undefined) track.height = p.height;
    entry.tracks = { ...entry.tracks, [p.trackId]: track };
  }
  return md;
}
