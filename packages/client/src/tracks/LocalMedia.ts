// The device's own media: camera and microphone (one MediaStream, purpose m.usermedia), an
// optional screen share (a second stream, m.screenshare), mute flags and device switching.
// Tracks this class acquired are stopped on close; tracks the app passed in are left running.

import type { Logger } from "../log.ts";
import { Emitter } from "../util/Emitter.ts";

export interface MediaDevicesLike {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  getDisplayMedia(constraints?: DisplayMediaStreamOptions): Promise<MediaStream>;
}

export type LocalMediaEvents = {
  /** A camera or microphone track was replaced by another device's. */
  trackReplaced: (kind: "audio" | "video", track: MediaStreamTrack) => void;
  /** The screen share ended from outside (the browser's stop button). */
  screenShareEnded: () => void;
};

export interface LocalMediaOptions {
  stream?: MediaStream;
  audio: boolean | MediaTrackConstraints;
  video: boolean | MediaTrackConstraints;
  devices: MediaDevicesLike;
  logger: Logger;
}

export class LocalMedia extends Emitter<LocalMediaEvents> {
  readonly userMedia: MediaStream;
  screen: MediaStream | undefined;
  micMuted = false;
  camMuted = false;
  #owned = new Set<MediaStreamTrack>();
  #devices: MediaDevicesLike;
  #logger: Logger;

  private constructor(stream: MediaStream, owned: boolean, o: LocalMediaOptions) {
    super(o.logger);
    this.userMedia = stream;
    this.#devices = o.devices;
    this.#logger = o.logger;
    if (owned) for (const t of stream.getTracks()) this.#owned.add(t);
  }

  /** Uses the given stream, or asks for camera and microphone. */
  static async create(o: LocalMediaOptions): Promise<LocalMedia> {
    if (o.stream !== undefined) return new LocalMedia(o.stream, false, o);
    if (o.audio === false && o.video === false) {
      return new LocalMedia(new MediaStream(), true, o);
    }
    const stream = await o.devices.getUserMedia({ audio: o.audio, video: o.video });
    o.logger.info(
      `got local media: ${stream
        .getTracks()
        .map((t) => `${t.kind} "${t.label}"`)
        .join(", ")}`,
    );
    return new LocalMedia(stream, true, o);
  }

  get audioTrack(): MediaStreamTrack | undefined {
    return this.userMedia.getAudioTracks()[0];
  }

  get videoTrack(): MediaStreamTrack | undefined {
    return this.userMedia.getVideoTracks()[0];
  }

  setMicMuted(muted: boolean): void {
    this.micMuted = muted;
    for (const t of this.userMedia.getAudioTracks()) t.enabled = !muted;
  }

  setCamMuted(muted: boolean): void {
    this.camMuted = muted;
    for (const t of this.userMedia.getVideoTracks()) t.enabled = !muted;
  }

  /** Replaces the camera or microphone with the given device. */
  async switchDevice(kind: "audio" | "video", deviceId: string): Promise<MediaStreamTrack> {
    const got = await this.#devices.getUserMedia({ [kind]: { deviceId: { exact: deviceId } } });
    const track = kind === "audio" ? got.getAudioTracks()[0] : got.getVideoTracks()[0];
    if (track === undefined) throw new Error(`no ${kind} track from device ${deviceId}`);
    const old = kind === "audio" ? this.audioTrack : this.videoTrack;
    track.enabled = !(kind === "audio" ? this.micMuted : this.camMuted);
    if (old !== undefined) {
      this.userMedia.removeTrack(old);
      if (this.#owned.delete(old)) old.stop();
    }
    this.userMedia.addTrack(track);
    this.#owned.add(track);
    this.#logger.info(`switched ${kind} to device ${deviceId}`);
    this.emit("trackReplaced", kind, track);
    return track;
  }

  /** Starts sharing the screen: the given stream or one from getDisplayMedia. */
  async startScreen(stream?: MediaStream): Promise<MediaStream> {
    const screen = stream ?? (await this.#devices.getDisplayMedia({ video: true, audio: false }));
    if (stream === undefined) for (const t of screen.getTracks()) this.#owned.add(t);
    for (const t of screen.getVideoTracks()) {
      t.addEventListener("ended", () => {
        if (this.screen === screen) this.emit("screenShareEnded");
      });
    }
    this.screen = screen;
    return screen;
  }

  stopScreen(): void {
    const screen = this.screen;
    this.screen = undefined;
    for (const t of screen?.getTracks() ?? []) if (this.#owned.delete(t)) t.stop();
  }

  close(): void {
    this.stopScreen();
    for (const t of this.#owned) t.stop();
    this.#owned.clear();
    this.removeAll();
  }
}
