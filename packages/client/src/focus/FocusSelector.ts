// Which focus to call: the MSC3898 join flowchart, as a pure function.
// https://github.com/matrix-org/matrix-spec-proposals/blob/main/proposals/3898-sfu.md
//
// - "own_preferred" (per-device shape with focus_selection multi_sfu): the own preferred foci in
//   order; foci other members use come after them as fall-backs.
// - "flowchart" (legacy shape, or focus_selection oldest_membership): a focus that is active for
//   one member and preferred by another comes first; then the other active foci; within each
//   group the lowest measured invite->answer latency wins, then the most members on it. The own
//   preferred foci follow (used when nobody is in the call yet), then foci others prefer.
// Foci in `excluded` (those that failed) are left out.

import { Values } from "@matrix-focus/protocol";
import type { FocusRef } from "../types.ts";

/** What one other member of the call says about foci. */
export interface MemberFoci {
  userId: string;
  deviceId: string;
  /** When the membership was created (ms); older members come first. */
  createdTs: number;
  /** The foci this member is connected to (legacy `m.foci.active`, or derived). */
  active: FocusRef[];
  /** The foci this member prefers. */
  preferred: FocusRef[];
}

export type SelectionMode = "own_preferred" | "flowchart";

export interface SelectionInput {
  mode: SelectionMode;
  self: { userId: string; deviceId: string };
  ownPreferred: FocusRef[];
  members: MemberFoci[];
  /** Measured invite->answer latency per focus key (see focusKey). */
  latencyMs?: ReadonlyMap<string, number>;
  /** Focus keys not to choose. */
  excluded?: ReadonlySet<string>;
}

/** A stable key for a focus: its user and device. */
export function focusKey(f: Pick<FocusRef, "user_id" | "device_id">): string {
  return `${f.user_id}|${f.device_id}`;
}

/** True for a focus this client can call: type MSC3898 with a user and a device. */
export function isCallableFocus(f: unknown): f is FocusRef {
  if (typeof f !== "object" || f === null) return false;
  const o = f as Record<string, unknown>;
  return (
    o.type === Values.focusTypeMsc3898 &&
    typeof o.user_id === "string" &&
    o.user_id !== "" &&
    typeof o.device_id === "string" &&
    o.device_id !== ""
  );
}

interface Tally {
  focus: FocusRef;
  activeFor: Set<string>;
  preferredBy: Set<string>;
  order: number;
}

/** The candidate foci, best first. An empty list means there is no focus to call. */
export function selectFoci(input: SelectionInput): FocusRef[] {
  const selfKey = `${input.self.userId}|${input.self.deviceId}`;
  const excluded = input.excluded ?? new Set<string>();
  const others = input.members.filter((m) => `${m.userId}|${m.deviceId}` !== selfKey);
  const out: FocusRef[] = [];
  const seen = new Set<string>();
  const push = (f: FocusRef): void => {
    const k = focusKey(f);
    if (seen.has(k) || excluded.has(k) || !isCallableFocus(f)) return;
    seen.add(k);
    out.push(f);
  };

  const tallies = tally(others);
  const byRank = (a: Tally, b: Tally): number => {
    const la = input.latencyMs?.get(focusKey(a.focus)) ?? Number.POSITIVE_INFINITY;
    const lb = input.latencyMs?.get(focusKey(b.focus)) ?? Number.POSITIVE_INFINITY;
    if (la !== lb) return la - lb;
    if (a.activeFor.size !== b.activeFor.size) return b.activeFor.size - a.activeFor.size;
    return a.order - b.order;
  };
  const active = [...tallies.values()].filter((t) => t.activeFor.size > 0);
  const sharedActive = active.filter((t) => [...t.preferredBy].some((m) => !t.activeFor.has(m)));
  const otherActive = active.filter((t) => !sharedActive.includes(t));

  if (input.mode === "own_preferred") {
    for (const f of input.ownPreferred) push(f);
    for (const t of [...sharedActive].sort(byRank)) push(t.focus);
    for (const t of [...otherActive].sort(byRank)) push(t.focus);
  } else {
    for (const t of [...sharedActive].sort(byRank)) push(t.focus);
    for (const t of [...otherActive].sort(byRank)) push(t.focus);
    for (const f of input.ownPreferred) push(f);
  }
  const preferredOnly = [...tallies.values()]
    .filter((t) => t.activeFor.size === 0)
    .sort((a, b) => b.preferredBy.size - a.preferredBy.size || a.order - b.order);
  for (const t of preferredOnly) push(t.focus);
  return out;
}

function tally(members: MemberFoci[]): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  const sorted = [...members].sort((a, b) => a.createdTs - b.createdTs);
  const get = (f: FocusRef): Tally | undefined => {
    if (!isCallableFocus(f)) return undefined;
    const k = focusKey(f);
    let t = tallies.get(k);
    if (t === undefined) {
      t = { focus: f, activeFor: new Set(), preferredBy: new Set(), order: tallies.size };
      tallies.set(k, t);
    }
    return t;
  };
  for (const m of sorted) {
    const mk = `${m.userId}|${m.deviceId}`;
    for (const f of m.active) get(f)?.activeFor.add(mk);
    for (const f of m.preferred) get(f)?.preferredBy.add(mk);
  }
  return tallies;
}
