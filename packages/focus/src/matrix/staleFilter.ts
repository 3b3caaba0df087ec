// Stale to-device messages (protocol.md "Stale messages"): messages queue up while the focus
// is away and arrive in a burst. An invite older than its lifetime, or than the configured
// maximum age, is refused; an invite the same batch later hangs up is skipped. Pure.

export interface InviteAge {
  created_ts?: number | undefined;
  lifetime: number;
}

/** Why an invite is too old, or undefined when it may be answered. Without created_ts its age is unknown. */
export function inviteExpiry(invite: InviteAge, now: number, maxAgeMs: number): string | undefined {
  if (invite.created_ts === undefined) return undefined;
  const age = now - invite.created_ts;
  if (age > invite.lifetime)
    return `the invite is ${age} ms old, past its lifetime of ${invite.lifetime} ms`;
  if (age > maxAgeMs) return `the invite is ${age} ms old, past the maximum age of ${maxAgeMs} ms`;
  return undefined;
}

export interface BatchEntry {
  kind: string | undefined;
  sender: string;
  callId: string | undefined;
}

/**
 * Indexes of invites that a later message of the same batch hangs up (same sender, same
 * call_id): answering them would only set up a call the caller has already left.
 */
export function invitesHungUpLater(batch: readonly BatchEntry[]): Set<number> {
  const skipped = new Set<number>();
  const hungUp = new Set<string>();
  for (let i = batch.length - 1; i >= 0; i--) {
    const e = batch[i] as BatchEntry;
    if (e.callId === undefined) continue;
    const key = `${e.sender}\u0000${e.callId}`;
    if (e.kind === "hangup") hungUp.add(key);
    else if (e.kind === "invite" && hungUp.has(key)) skipped.add(i);
  }
  return skipped;
}
