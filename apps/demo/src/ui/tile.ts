// One tile of the call grid: a video, the owner's name, mute badges and a stats overlay.
import type { RemoteStream, StreamStats } from "@matrix-focus/client";
import { h } from "./dom.ts";
import { statsText } from "./statsText.ts";

export type TileSize = "large" | "small";

export interface TileInfo {
  streamId: string;
  userId: string;
  deviceId: string;
  purpose: string;
  local: boolean;
}

export class Tile {
  readonly element: HTMLElement;
  readonly video: HTMLVideoElement;
  readonly info: TileInfo;
  private readonly label: HTMLElement;
  private readonly badges: HTMLElement;
  private readonly stats: HTMLElement;

  constructor(info: TileInfo, displayName: string, onClick: () => void) {
    this.info = info;
    this.video = h("video", { autoplay: true, playsinline: true, "data-testid": "tile-video" });
    if (info.local) this.video.muted = true;
    this.label = h("span", { class: "name", "data-testid": "tile-name" }, displayName);
    this.badges = h("span", { class: "badges", "data-testid": "tile-badges" });
    this.stats = h("pre", { class: "stats", "data-testid": "tile-stats" });
    this.element = h(
      "figure",
      {
        class: "tile",
        "data-testid": "tile",
        "data-stream-id": info.streamId,
        "data-user-id": info.userId,
        "data-device-id": info.deviceId,
        "data-purpose": info.purpose,
        "data-local": info.local ? "true" : "false",
        title: "Click to pin or unpin",
      },
      this.video,
      h("figcaption", {}, this.label, this.badges),
      this.stats,
    );
    this.element.addEventListener("click", onClick);
  }

  setMuted(audioMuted: boolean, videoMuted: boolean): void {
    this.element.dataset.audioMuted = String(audioMuted);
    this.element.dataset.videoMuted = String(videoMuted);
    this.badges.textContent = [audioMuted ? "mic off" : "", videoMuted ? "camera off" : ""]
      .filter(Boolean)
      .join(" · ");
  }

  update(stream: RemoteStream): void {
    this.setMuted(stream.audioMuted, stream.videoMuted);
  }

  setSize(size: TileSize, pinned: boolean): void {
    this.element.dataset.size = size;
    this.element.dataset.pinned = String(pinned);
    this.element.classList.toggle("large", size === "large");
  }

  setSpeaking(speaking: boolean, level: number): void {
    this.element.dataset.speaking = String(speaking);
    this.element.dataset.audioLevel = level.toFixed(3);
    this.element.classList.toggle("speaking", speaking);
  }

  showStats(s: StreamStats | undefined, visible: boolean): void {
    const d = this.element.dataset;
    d.framesDecoded = String(s?.framesDecoded ?? 0);
    d.frameWidth = String(s?.width ?? 0);
    d.frameHeight = String(s?.height ?? 0);
    d.fps = String(Math.round(s?.fps ?? 0));
    d.bitrateKbps = String(Math.round(s?.bitrateKbps ?? 0));
    d.layer = s?.layer ?? "";
    d.layerBasis = s?.layerBasis ?? "";
    this.stats.hidden = !visible;
    this.stats.textContent = statsText(s);
  }

  showLocalStats(visible: boolean): void {
    const v = this.video;
    this.stats.hidden = !visible;
    this.stats.textContent = `local ${v.videoWidth}x${v.videoHeight}`;
  }
}
