// Simulcast layers over sibling links (a conference spread over several workers of this focus,
// docs/decisions/focus-workers.md). A part announces to its siblings each simulcast video track
// of its own clients as one track per layer, `<track>~layer~<rid>` with that layer's size; the
// sibling asks for the layers its subscribers need, receives each as its own m-line and puts
// them back together as the layers of one publication, so that each of its subscribers gets
// its own layer as on one part. Between foci a link still carries one layer per track. Pure.

const SEPARATOR = "~layer~";

/** The track id under which layer `rid` of track `trackId` crosses a sibling link. */
export function layerTrackId(trackId: string, rid: string): string {
  return `${trackId}${SEPARATOR}${rid}`;
}

/** The track and layer a sibling link's per-layer track id stands for, if it is one. */
export function parseLayerTrackId(id: string): { trackId: string; rid: string } | undefined {
  const at = id.lastIndexOf(SEPARATOR);
  if (at <= 0) return undefined;
  const rid = id.slice(at + SEPARATOR.length);
  if (!/^[A-Za-z0-9_-]{1,16}$/.test(rid)) return undefined;
  return { trackId: id.slice(0, at), rid };
}

/** One simulcast layer of a track another part announced. */
export interface SiblingLayer {
  rid: string;
  width: number;
  height?: number;
}

/** A track of a sibling's announcement, with the layers it offers when it comes per layer. */
export type GroupedTrack<T> = T & { layers?: SiblingLayer[] };

/**
 * Puts a sibling's per-layer tracks back together: one entry per track, with the layers whose
 * size was announced. Other tracks pass unchanged.
 */
export function groupLayers<
  T extends { streamId: string; trackId: string; width?: number; height?: number },
>(tracks: readonly T[]): GroupedTrack<T>[] {
  const out: GroupedTrack<T>[] = [];
  const byTrack = new Map<string, GroupedTrack<T>>();
  for (const t of tracks) {
    const parsed = parseLayerTrackId(t.trackId);
    if (!parsed) {
      out.push(t);
      continue;
    }
    const key = `${t.streamId}\u0000${parsed.trackId}`;
    let entry = byTrack.get(key);
    if (!entry) {
      const { width: _w, height: _h, ...rest } = t;
      entry = { ...(rest as T), trackId: parsed.trackId, layers: [] };
      byTrack.set(key, entry);
      out.push(entry);
    }
    if (t.width !== undefined)
      entry.layers?.push({
        rid: parsed.rid,
        width: t.width,
        ...(t.height !== undefined ? { height: t.height } : {}),
      });
  }
  return out;
}
