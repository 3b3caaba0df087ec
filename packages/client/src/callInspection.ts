// What a call shows about itself for debugging and measurement: the stats of one stream
// (sent or received video) and the remote streams and subscriptions in a dump.
import { Values } from "@matrix-focus/protocol";
import { CallDefaults } from "./defaults.ts";
import type { FocusConnection } from "./focus/FocusConnection.ts";
import type { StreamViewer } from "./tracks/StreamViewer.ts";
import { type BitrateMeter, inboundVideoStats, outboundVideoStats } from "./tracks/stats.ts";
import type { CallDump, StreamStats } from "./types.ts";

/** Video stats of `streamId`: the own stream as sent, or a remote one as received. */
export async function streamStats(
  conn: FocusConnection,
  viewer: StreamViewer,
  meter: BitrateMeter,
  streamId: string,
): Promise<StreamStats | undefined> {
  const sender = conn.publisher.videoSenderOf(streamId);
  if (sender !== undefined) return outboundVideoStats(await sender.getStats(), streamId, meter);
  const remote = viewer.remote;
  const video = remote.tracksOf(streamId).find((t) => t.kind === "video");
  if (video === undefined) return undefined;
  const track = remote.receivedTrack(streamId, video.trackId);
  const receiver = track && conn.receiverOf(track);
  if (receiver === undefined) return undefined;
  const md = remote.metadata(streamId);
  // only the camera is published as simulcast; a screen share has one layer
  const layers =
    md?.purpose === Values.purposeUsermedia
      ? { full: md.tracks?.[video.trackId], layers: CallDefaults.simulcastLayers }
      : undefined;
  return inboundVideoStats(await receiver.getStats(), streamId, meter, layers);
}

/** The remote streams and the subscriptions of a call, for its dump. */
export function viewerDump(
  viewer: StreamViewer,
): Pick<CallDump, "remoteStreams" | "subscriptions"> {
  return {
    remoteStreams: viewer.list().map((s) => ({
      id: s.id,
      userId: s.userId,
      deviceId: s.deviceId,
      purpose: s.purpose,
      tracks: s.mediaStream.getTracks().map((t) => `${t.kind}:${t.readyState}`),
    })),
    subscriptions: viewer.subscriptions.wanted.map((w) => ({
      streamId: w.stream_id,
      trackId: w.track_id,
      ...(w.width !== undefined ? { width: w.width } : {}),
      ...(w.height !== undefined ? { height: w.height } : {}),
    })),
  };
}
