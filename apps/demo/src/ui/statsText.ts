// The text of a tile's stats overlay, from the client library's stats of one stream. Pure.
import type { StreamStats } from "@matrix-focus/client";

/** "layer h (640x360 of 1280x720)", "layer f (sent)", or "layer ?" when it cannot be told. */
export function layerText(s: StreamStats): string {
  if (s.layer === undefined) return "layer ?";
  if (s.layerBasis === "decodedSize")
    return `layer ${s.layer} (${s.width}x${s.height} of ${s.fullWidth}x${s.fullHeight})`;
  if (s.layerBasis === "sent") return `layer ${s.layer} (sent)`;
  return `layer ${s.layer}`;
}

export function statsText(s: StreamStats | undefined): string {
  if (s === undefined) return "no stats yet";
  return [
    `${s.width ?? "?"}x${s.height ?? "?"} @ ${Math.round(s.fps ?? 0)} fps`,
    `${Math.round(s.bitrateKbps ?? 0)} kb/s`,
    layerText(s),
    `${s.framesDecoded ?? 0} frames`,
  ].join("\n");
}
