// What this device sends on one peer connection: microphone and camera (the camera as simulcast
// f/h/q when asked, rids exactly as the deployed client), and the screen share as a second
// stream. Each track keeps the id it has in our SDP's msid, so the metadata stays right when a
// track is replaced by another device's.

import type { SdpStreamMetadata } from "@matrix-focus/protocol";
import { Values } from "@matrix-focus/protocol";
import type { LocalMedia } from "./LocalMedia.ts";
import { buildLocalMetadata, type Publication } from "./localMetadata.ts";

export type Slot = "mic" | "camera" | "screenVideo" | "screenAudio";

export interface PublishedTrack {
  slot: Slot;
  transceiver: RTCRtpTransceiver;
  publication: Publication;
}

export interface PublisherOptions {
  pc: RTCPeerConnection;
  local: LocalMedia;
  userId: string;
  deviceId: string;
  simulcast: boolean;
  layers: readonly RTCRtpEncodingParameters[];
}

export class Publisher {
  #o: PublisherOptions;
  #published: PublishedTrack[] = [];

  constructor(o: PublisherOptions) {
    this.#o = o;
  }

  get published(): readonly PublishedTrack[] {
    return this.#published;
  }

  publishUserMedia(): void {
    const { local, simulcast, layers } = this.#o;
    const audio = local.audioTrack;
    const video = local.videoTrack;
    if (audio !== undefined) this.#add("mic", audio, local.userMedia, Values.purposeUsermedia);
    if (video !== undefined) {
      const init: RTCRtpTransceiverInit = { direction: "sendonly", streams: [local.userMedia] };
      if (simulcast) init.sendEncodings = layers.map((l) => ({ ...l }));
      this.#add("camera", video, local.userMedia, Values.purposeUsermedia, init);
      if (local.camMuted) void this.setCameraSending(false);
    }
  }

  publishScreen(stream: MediaStream): void {
    const video = stream.getVideoTracks()[0];
    const audio = stream.getAudioTracks()[0];
    if (video !== undefined) this.#add("screenVideo", video, stream, Values.purposeScreenshare);
    if (audio !== undefined) this.#add("screenAudio", audio, stream, Values.purposeScreenshare);
  }

  unpublishScreen(): void {
    for (const p of this.#published) {
      if (p.slot !== "screenVideo" && p.slot !== "screenAudio") continue;
      void p.transceiver.sender.replaceTrack(null).catch(() => undefined);
      try {
        p.transceiver.stop();
      } catch {
        this.#o.pc.removeTrack(p.transceiver.sender);
      }
    }
    this.#published = this.#published.filter(
      (p) => p.slot !== "screenVideo" && p.slot !== "screenAudio",
    );
  }

  /** Sends another camera or microphone track (device switch); the msid stays. */
  async replaceTrack(kind: "audio" | "video", track: MediaStreamTrack): Promise<void> {
    const p = this.#find(kind === "audio" ? "mic" : "camera");
    if (p === undefined) return;
    const muted = kind === "video" && this.#o.local.camMuted;
    await p.transceiver.sender.replaceTrack(muted ? null : track);
    if (kind === "video") this.#setSize(p.publication, track);
  }

  /** A muted camera sends nothing. */
  async setCameraSending(sending: boolean): Promise<void> {
    const p = this.#find("camera");
    if (p === undefined) return;
    await p.transceiver.sender.replaceTrack(sending ? (this.#o.local.videoTrack ?? null) : null);
  }

  /** The sender of a published stream's video (for statistics). */
  videoSenderOf(streamId: string): RTCRtpSender | undefined {
    return this.#published.find(
      (p) => p.publication.streamId === streamId && p.publication.kind === "video",
    )?.transceiver.sender;
  }

  metadata(): SdpStreamMetadata {
    const { local, userId, deviceId } = this.#o;
    return buildLocalMetadata({
      userId,
      deviceId,
      audioMuted: local.micMuted,
      videoMuted: local.camMuted,
      publications: this.#published.map((p) => p.publication),
    });
  }

  #find(slot: Slot): PublishedTrack | undefined {
    return this.#published.find((p) => p.slot === slot);
  }

  #add(
    slot: Slot,
    track: MediaStreamTrack,
    stream: MediaStream,
    purpose: Publication["purpose"],
    init: RTCRtpTransceiverInit = { direction: "sendonly", streams: [stream] },
  ): void {
    const transceiver = this.#o.pc.addTransceiver(track, init);
    const publication: Publication = {
      streamId: stream.id,
      trackId: track.id,
      kind: track.kind === "audio" ? "audio" : "video",
      purpose,
    };
    if (publication.kind === "video") this.#setSize(publication, track);
    this.#published.push({ slot, transceiver, publication });
  }

  #setSize(p: Publication, track: MediaStreamTrack): void {
    const s = track.getSettings?.();
    if (s?.width !== undefined) p.width = s.width;
    if (s?.height !== undefined) p.height = s.height;
  }
}
