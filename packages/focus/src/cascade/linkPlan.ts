// Which foci a conference uses, which of them this focus links with, and who dials
// (docs/cascading.md). Pure: memberships and foci come in as arguments.
import { type CallMembership, type FocusRef, sameFocus, Values } from "@matrix-focus/protocol";

/**
 * The foci the members of one conference publish to: legacy memberships name theirs in
 * `m.foci.active`; per-device memberships with `multi_sfu` (or no selection) publish to their
 * own `foci_preferred[0]`; with `oldest_membership` everyone uses the oldest member's
 * `foci_preferred[0]`. `memberships` must be the current ones of joined members.
 */
export function fociInUse(memberships: readonly CallMembership[]): FocusRef[] {
  const out: FocusRef[] = [];
  const add = (f: FocusRef | undefined) => {
    if (f !== undefined && !out.some((x) => sameFocus(x, f))) out.push(f);
  };
  const oldest = oldestPerDevice(memberships);
  for (const m of memberships) {
    if (m.shape === "legacy") for (const f of m.fociActive) add(f);
    else if (m.focusSelection === Values.focusSelectionOldestMembership)
      add(oldest?.fociPreferred[0]);
    else add(m.fociPreferred[0]);
  }
  return out;
}

function oldestPerDevice(memberships: readonly CallMembership[]): CallMembership | undefined {
  const created = (m: CallMembership) =>
    typeof m.raw.created_ts === "number" ? m.raw.created_ts : m.expiresAt;
  let best: CallMembership | undefined;
  for (const m of memberships) {
    if (m.shape !== "perDevice" || m.fociPreferred.length === 0) continue;
    if (best === undefined || created(m) < created(best)) best = m;
  }
  return best;
}

/** Orders foci by (user_id, device_id), comparing code units. */
export function compareFoci(a: FocusRef, b: FocusRef): number {
  if (a.userId !== b.userId) return a.userId < b.userId ? -1 : 1;
  if (a.deviceId !== b.deviceId) return a.deviceId < b.deviceId ? -1 : 1;
  return 0;
}

/** Of two linked foci, the smaller (user_id, device_id) dials. */
export function dialsLink(me: FocusRef, peer: FocusRef): boolean {
  return compareFoci(me, peer) < 0;
}

/** The foci `me` should be linked with in a conference: none unless `me` is in use there. */
export function linkPeers(me: FocusRef, inUse: readonly FocusRef[]): FocusRef[] {
  if (!inUse.some((f) => sameFocus(f, me))) return [];
  return inUse.filter((f) => !sameFocus(f, me)).sort(compareFoci);
}

/** Whether a link between `a` and `b` is allowed: both are in use in the conference. */
export function linkAllowed(a: FocusRef, b: FocusRef, inUse: readonly FocusRef[]): boolean {
  return (
    !sameFocus(a, b) && inUse.some((f) => sameFocus(f, a)) && inUse.some((f) => sameFocus(f, b))
  );
}
