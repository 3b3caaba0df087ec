// Which tile is shown large. Pure, so that the rule is tested without a DOM.

export interface LayoutTile {
  id: string;
  local: boolean;
  screenShare: boolean;
}

/**
 * The pinned tile; else the first remote screen share; else the current speaker; else the
 * first remote tile; else the local one. Undefined when there are no tiles.
 */
export function chooseLargeTile(
  tiles: readonly LayoutTile[],
  pinned: string | undefined,
  speaker: string | undefined,
): string | undefined {
  const has = (id: string | undefined) => id !== undefined && tiles.some((t) => t.id === id);
  if (has(pinned)) return pinned;
  const remote = tiles.filter((t) => !t.local);
  const share = remote.find((t) => t.screenShare);
  if (share) return share.id;
  if (has(speaker)) return speaker;
  return remote[0]?.id ?? tiles.find((t) => t.local)?.id;
}
