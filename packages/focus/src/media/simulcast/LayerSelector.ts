// Picks the simulcast layer a subscriber gets: the smallest arriving layer at least as big as
// the size the subscriber shows the video at, else the biggest arriving layer. Pure.

export interface LayerInfo {
  /** RTP stream id (rid), e.g. "q", "h", "f"; "" for a track without simulcast. */
  rid: string;
  /** Frame size if known (from a keyframe), else undefined. */
  width?: number;
  height?: number;
  /** Packets are arriving on this layer. */
  active: boolean;
}

export interface WantedSize {
  width?: number;
  height?: number;
}

/** Conventional order of the rids Chrome-style clients use, smallest first. */
const RID_RANK: Record<string, number> = { q: 0, l: 0, h: 1, m: 1, f: 2 };

/** A comparable size: known pixel count, else the rid's conventional rank. */
function sizeKey(l: LayerInfo): [number, number] {
  const area = l.width !== undefined && l.height !== undefined ? l.width * l.height : -1;
  return [area, RID_RANK[l.rid] ?? 1];
}

function compare(a: LayerInfo, b: LayerInfo): number {
  const [aa, ar] = sizeKey(a);
  const [ba, br] = sizeKey(b);
  if (aa >= 0 && ba >= 0 && aa !== ba) return aa - ba;
  return ar - br;
}

function bigEnough(l: LayerInfo, want: WantedSize): boolean {
  if (l.width === undefined || l.height === undefined) return false;
  return (
    (want.width === undefined || l.width >= want.width) &&
    (want.height === undefined || l.height >= want.height)
  );
}

/** The rid to forward, or undefined when no layer is arriving. */
export function selectLayer(layers: readonly LayerInfo[], want: WantedSize): string | undefined {
  const active = layers.filter((l) => l.active).sort(compare);
  if (active.length === 0) return undefined;
  if (want.width !== undefined || want.height !== undefined) {
    const fit = active.find((l) => bigEnough(l, want));
    if (fit) return fit.rid;
  }
  return active[active.length - 1]?.rid;
}
