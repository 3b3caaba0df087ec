// Which waiting subscriptions may start forwarding once an offer of the focus is answered:
// those whose outgoing m-line was in that offer. One added while the offer was in flight has
// no m-line in it yet (its mid is given by the next offer); forwarding its first keyframe now
// would lose it at the subscriber, which then shows nothing until the next keyframe.

export interface WaitingSender {
  /** The mid of the outgoing m-line; null until an offer included it. */
  readonly out: { readonly mid: string | null };
  readonly closed: boolean;
}

/** Splits `waiting` into the senders the answered offer (`mids`) negotiated and the rest. */
export function negotiatedSenders<S extends WaitingSender>(
  waiting: readonly S[],
  mids: readonly (string | undefined)[],
): { ready: S[]; stillWaiting: S[] } {
  const offered = new Set(mids);
  const ready: S[] = [];
  const stillWaiting: S[] = [];
  for (const s of waiting) {
    if (s.closed) continue;
    if (s.out.mid !== null && offered.has(s.out.mid)) ready.push(s);
    else stillWaiting.push(s);
  }
  return { ready, stillWaiting };
}
