// Per-stream statistics for the app's overlay: size, frame rate, bitrate and the simulcast
// layer (for our own camera the layer with the most pixels that is being sent; for a received
// camera video the layer its decoded size matches).

import type { StreamStats } from "../types.ts";
import { type LayerShape, layerOfSize, type Size } from "./layerEstimate.ts";

type Sample = { bytes: number; ts: number };

/** Keeps the previous byte count per key to turn totals into a bitrate. */
export class BitrateMeter {
  #last = new Map<string, Sample>();

  kbps(key: string, bytes: number, ts: number): number | undefined {
    const prev = this.#last.get(key);
    this.#last.set(key, { bytes, ts });
    if (prev === undefined || ts <= prev.ts) return undefined;
    return Math.round(((bytes - prev.bytes) * 8) / (ts - prev.ts));
  }
}

interface RtpStat {
  type: string;
  kind?: string;
  frameWidth?: number;
  frameHeight?: number;
  framesPerSecond?: number;
  framesDecoded?: number;
  bytesReceived?: number;
  bytesSent?: number;
  timestamp: number;
  rid?: string;
  active?: boolean;
}

/** What is known to judge a received video's simulcast layer. */
export interface LayerContext {
  /** The publisher's full size (track width/height in the focus's metadata). */
  full: Partial<Size> | undefined;
  layers: readonly LayerShape[];
}

/** Stats of a received video (inbound-rtp); with `layers`, its layer judged by decoded size. */
export function inboundVideoStats(
  report: RTCStatsReport,
  key: string,
  meter: BitrateMeter,
  layers?: LayerContext,
): StreamStats | undefined {
  for (const s of report.values() as IterableIterator<RtpStat>) {
    if (s.type !== "inbound-rtp" || s.kind !== "video") continue;
    const out: StreamStats = {};
    if (s.frameWidth !== undefined) out.width = s.frameWidth;
    if (s.frameHeight !== undefined) out.height = s.frameHeight;
    if (s.framesPerSecond !== undefined) out.fps = s.framesPerSecond;
    if (s.framesDecoded !== undefined) out.framesDecoded = s.framesDecoded;
    const kbps = meter.kbps(key, s.bytesReceived ?? 0, s.timestamp);
    if (kbps !== undefined) out.bitrateKbps = kbps;
    if (layers?.full?.width !== undefined && layers.full.height !== undefined) {
      out.fullWidth = layers.full.width;
      out.fullHeight = layers.full.height;
    }
    const layer = layers && layerOfSize(out, layers.full, layers.layers);
    if (layer !== undefined) {
      out.layer = layer;
      out.layerBasis = "decodedSize";
    }
    return out;
  }
  return undefined;
}

/** Stats of our sent video (outbound-rtp per simulcast layer): the largest active layer. */
export function outboundVideoStats(
  report: RTCStatsReport,
  key: string,
  meter: BitrateMeter,
): StreamStats | undefined {
  let best: RtpStat | undefined;
  let bytes = 0;
  let ts = 0;
  for (const s of report.values() as IterableIterator<RtpStat>) {
    if (s.type !== "outbound-rtp" || s.kind !== "video") continue;
    bytes += s.bytesSent ?? 0;
    ts = Math.max(ts, s.timestamp);
    const pixels = (s.frameWidth ?? 0) * (s.frameHeight ?? 0);
    const bestPixels = (best?.frameWidth ?? 0) * (best?.frameHeight ?? 0);
    if (best === undefined || pixels > bestPixels) best = s;
  }
  if (best === undefined) return undefined;
  const out: StreamStats = {};
  if (best.frameWidth !== undefined) out.width = best.frameWidth;
  if (best.frameHeight !== undefined) out.height = best.frameHeight;
  if (best.framesPerSecond !== undefined) out.fps = best.framesPerSecond;
  if (best.rid !== undefined) {
    out.rid = best.rid;
    out.layer = best.rid;
    out.layerBasis = "sent";
  }
  const kbps = meter.kbps(key, bytes, ts);
  if (kbps !== undefined) out.bitrateKbps = kbps;
  return out;
}
