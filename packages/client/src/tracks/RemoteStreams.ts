// The streams other participants publish, as the focus describes them, with the tracks that
// arrived for them. Two metadata sets come from the focus: the full set of streams one can
// subscribe to (answer, sdp_stream_metadata_changed; each replaces the previous one) and what
// its latest offer carries (m.call.negotiate). The available set decides which streams are
// listed once one arrived (a stream missing from it is gone); the carried set fills in owners
// and tracks. The own device's streams are never listed.

import type { SdpStreamMetadata, StreamMetadata } from "@matrix-focus/protocol";
import { Values } from "@matrix-focus/protocol";
import type { RemoteStream, StreamPurpose } from "../types.ts";

export interface ReceivedTrack {
  streamId: string;
  trackId: string;
  track: MediaStreamTrack;
}

export interface TrackInfo {
  trackId: string;
  kind: "audio" | "video";
}

export interface RemoteStreamsOptions {
  self: { userId: string; deviceId: string };
  makeStream: () => MediaStream;
}

export class RemoteStreams {
  #o: RemoteStreamsOptions;
  #available: SdpStreamMetadata = {};
  #hasAvailable = false;
  #carried: SdpStreamMetadata = {};
  #streams = new Map<string, MediaStream>();
  #received = new Map<string, ReceivedTrack[]>();
  #lastSignature = "";

  constructor(opts: RemoteStreamsOptions) {
    this.#o = opts;
  }

  /** The full set of streams the focus offers (replaces the previous set). */
  setAvailable(md: SdpStreamMetadata): void {
    this.#available = md;
    this.#hasAvailable = true;
  }

  /** What the focus's latest offer carries. */
  setCarried(md: SdpStreamMetadata): void {
    this.#carried = md;
  }

  /** Every track received now (from the transceivers and the remote SDP's msids). */
  setReceived(tracks: ReceivedTrack[]): void {
    const byStream = new Map<string, ReceivedTrack[]>();
    for (const t of tracks) {
      const list = byStream.get(t.streamId) ?? [];
      list.push(t);
      byStream.set(t.streamId, list);
    }
    this.#received = byStream;
    for (const [id, ms] of this.#streams) {
      const want = new Set((byStream.get(id) ?? []).map((t) => t.track));
      for (const track of ms.getTracks()) if (!want.has(track)) ms.removeTrack(track);
      const have = new Set(ms.getTracks());
      for (const track of want) if (!have.has(track)) ms.addTrack(track);
    }
  }

  /** Metadata of one listed stream. */
  metadata(streamId: string): StreamMetadata | undefined {
    const md = this.#available[streamId] ?? this.#carried[streamId];
    return md !== undefined && !this.#isOwn(md) ? md : undefined;
  }

  /** The tracks the metadata lists for a stream. */
  tracksOf(streamId: string): TrackInfo[] {
    const md = this.metadata(streamId);
    if (md?.tracks === undefined) return [];
    return Object.entries(md.tracks).map(([trackId, t]) => ({ trackId, kind: t.kind }));
  }

  /** Ids of all listed streams: the available set once the focus sent one, else what it carries. */
  ids(): string[] {
    const ids = Object.keys(this.#hasAvailable ? this.#available : this.#carried);
    return ids.filter((id) => this.metadata(id) !== undefined);
  }

  list(): RemoteStream[] {
    const out: RemoteStream[] = [];
    for (const id of this.ids()) {
      const md = this.metadata(id);
      if (md === undefined) continue;
      out.push({
        id,
        userId: md.user_id ?? "",
        deviceId: md.device_id ?? "",
        purpose: (md.purpose as StreamPurpose) ?? Values.purposeUsermedia,
        audioMuted: md.audio_muted ?? false,
        videoMuted: md.video_muted ?? false,
        mediaStream: this.#mediaStream(id),
      });
    }
    return out;
  }

  /** The received track for (stream, track), if it arrived. */
  receivedTrack(streamId: string, trackId: string): MediaStreamTrack | undefined {
    return this.#received.get(streamId)?.find((t) => t.trackId === trackId)?.track;
  }

  /** True when the list (or a stream's flags or tracks) changed since the last call. */
  takeChanged(): boolean {
    const sig = JSON.stringify(
      this.list().map((s) => [
        s.id,
        s.userId,
        s.deviceId,
        s.purpose,
        s.audioMuted,
        s.videoMuted,
        s.mediaStream.getTracks().map((t) => t.id),
      ]),
    );
    const changed = sig !== this.#lastSignature;
    this.#lastSignature = sig;
    return changed;
  }

  /** Forgets everything (a new connection starts with nothing). */
  clear(): void {
    this.#available = {};
    this.#hasAvailable = false;
    this.#carried = {};
    this.setReceived([]);
  }

  #isOwn(md: StreamMetadata): boolean {
    return md.user_id === this.#o.self.userId && md.device_id === this.#o.self.deviceId;
  }

  #mediaStream(id: string): MediaStream {
    let ms = this.#streams.get(id);
    if (ms === undefined) {
      ms = this.#o.makeStream();
      for (const t of this.#received.get(id) ?? []) ms.addTrack(t.track);
      this.#streams.set(id, ms);
    }
    return ms;
  }
}
