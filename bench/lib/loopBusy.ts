// The focus's event-loop utilisation between two readings of its counters.

/** Busy share of the SUT's event loops between readings `a` and `b` (focus only: Janus has none). */
export function loopBusy(
  a: Record<string, number> | undefined,
  b: Record<string, number> | undefined,
): number | undefined {
  if (a?.loopActiveMs === undefined || b?.loopActiveMs === undefined) return undefined;
  const active = b.loopActiveMs - a.loopActiveMs;
  const total = active + (b.loopIdleMs ?? 0) - (a.loopIdleMs ?? 0);
  return total > 0 ? active / total : undefined;
}

/** A share as a whole percentage, or `missing` when there is none. */
export const asPercent = (share: number | undefined, missing = "–"): string =>
  share === undefined ? missing : `${(share * 100).toFixed(0)}%`;
