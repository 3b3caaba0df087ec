// The calls this focus has accepted: who placed each (user, device, party_id) and in which
// conference, so that follow-up messages from anyone else are ignored and per-user call
// limits can be counted. A call is forgotten when its caller hangs up, its member leaves,
// or the conference layer no longer knows it (after a grace period for queued set-up).
import type { ConferenceKey, DeviceRef } from "../conference/inputs.ts";

export interface RegisteredCall {
  callId: string;
  caller: DeviceRef;
  partyId: string;
  /** The caller's sender_session_id (our dest_session_id when we hang up). */
  callerSessionId: string;
  /** Whether the caller's messages carried room_id (then ours do too). */
  roomIdInMessages: boolean;
  conference: ConferenceKey;
  acceptedAt: number;
  /** Cascading: the call links this focus with another focus (`caller` is that focus). */
  link?: boolean;
}

export class CallRegistry {
  readonly #calls = new Map<string, RegisteredCall>();
  readonly #isLive: (callId: string) => boolean;
  readonly #graceMs: number;

  /** `isLive` asks the conference layer; a call it does not know after `graceMs` is gone. */
  constructor(isLive: (callId: string) => boolean, graceMs: number) {
    this.#isLive = isLive;
    this.#graceMs = graceMs;
  }

  add(call: RegisteredCall): void {
    this.#calls.set(call.callId, call);
  }

  get(callId: string, now: number): RegisteredCall | undefined {
    const call = this.#calls.get(callId);
    if (call !== undefined && this.#ended(call, now)) {
      this.#calls.delete(callId);
      return undefined;
    }
    return call;
  }

  remove(callId: string): void {
    this.#calls.delete(callId);
  }

  /** Calls of one user that are still live. */
  countForUser(userId: string, now: number): number {
    this.prune(now);
    let n = 0;
    for (const c of this.#calls.values()) if (c.caller.userId === userId) n++;
    return n;
  }

  /** Live calls of a device in a conference. */
  callsOf(member: DeviceRef, conference: ConferenceKey): RegisteredCall[] {
    return [...this.#calls.values()].filter(
      (c) =>
        c.caller.userId === member.userId &&
        c.caller.deviceId === member.deviceId &&
        c.conference.roomId === conference.roomId &&
        c.conference.confId === conference.confId,
    );
  }

  /** Every registered call (including ones not yet pruned). */
  all(): RegisteredCall[] {
    return [...this.#calls.values()];
  }

  get size(): number {
    return this.#calls.size;
  }

  prune(now: number): void {
    for (const [id, c] of this.#calls) if (this.#ended(c, now)) this.#calls.delete(id);
  }

  #ended(call: RegisteredCall, now: number): boolean {
    return now - call.acceptedAt > this.#graceMs && !this.#isLive(call.callId);
  }
}
