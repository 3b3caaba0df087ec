// Which simulcast layer a received camera video is. The focus forwards one continuous stream
// per track and tells the subscriber nothing about the layer behind it, so the layer is judged
// from the decoded frame size against the publisher's full size (the track's width/height in
// the focus's sdp_stream_metadata: the largest layer the focus saw, else what the publisher
// declared). Pure.

export interface Size {
  width: number;
  height: number;
}

export interface LayerShape {
  rid?: string;
  scaleResolutionDownBy?: number;
}

/**
 * A decoded size more than this many octaves (factor 2 per side) from every layer's expected
 * size matches none: half an octave (√2), halfway to where a further 2× layer would be.
 */
const MAX_ERROR_OCTAVES = 0.5;

function known(s: Partial<Size> | undefined): s is Size {
  return s?.width !== undefined && s.height !== undefined && s.width > 0 && s.height > 0;
}

/**
 * The rid of the layer whose expected size (full size / scaleResolutionDownBy) is nearest the
 * decoded size, compared by area so that a rotated picture is judged alike; `undefined` when a
 * size is unknown or the decoded size fits no layer (e.g. it is larger than the full size).
 */
export function layerOfSize(
  decoded: Partial<Size> | undefined,
  full: Partial<Size> | undefined,
  layers: readonly LayerShape[],
): string | undefined {
  if (!known(decoded) || !known(full)) return undefined;
  const scale = Math.sqrt((full.width * full.height) / (decoded.width * decoded.height));
  let best: { rid: string; error: number } | undefined;
  for (const l of layers) {
    if (l.rid === undefined) continue;
    const error = Math.abs(Math.log2(scale / (l.scaleResolutionDownBy ?? 1)));
    if (best === undefined || error < best.error) best = { rid: l.rid, error };
  }
  if (best === undefined || best.error > MAX_ERROR_OCTAVES) return undefined;
  return best.rid;
}
