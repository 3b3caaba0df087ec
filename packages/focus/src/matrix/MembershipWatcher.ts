// Turns memberships that expire or are removed into `memberLeft` inputs: after every sync and
// on a timer, each accepted call is checked against its caller's membership; a caller with no
// current membership for the call's conference (or who left the room) has left.
import type { ConferenceInput } from "../conference/inputs.ts";

export type MemberLeft = Extract<ConferenceInput, { kind: "memberLeft" }>;

import type { CallRegistry } from "./CallRegistry.ts";
import type { RoomStateTracker } from "./RoomStateTracker.ts";

export class MembershipWatcher {
  readonly #rooms: RoomStateTracker;
  readonly #calls: CallRegistry;
  readonly #onLeft: (input: MemberLeft) => void;

  constructor(rooms: RoomStateTracker, calls: CallRegistry, onLeft: (input: MemberLeft) => void) {
    this.#rooms = rooms;
    this.#calls = calls;
    this.#onLeft = onLeft;
  }

  /** Emits memberLeft for every accepted call whose caller no longer has a current membership. */
  check(now: number): void {
    this.#calls.prune(now);
    const current = new Set(
      this.#rooms
        .currentMemberships(now)
        .map(({ roomId, membership: m }) => key(roomId, m.confId, m.userId, m.deviceId)),
    );
    const left = new Map<string, MemberLeft>();
    for (const call of this.#calls.all()) {
      if (call.link) continue; // links end when their foci are no longer in use (cascade/)
      const { conference, caller } = call;
      const k = key(conference.roomId, conference.confId, caller.userId, caller.deviceId);
      if (current.has(k)) continue;
      this.#calls.remove(call.callId);
      left.set(k, { kind: "memberLeft", conference, member: caller });
    }
    for (const input of left.values()) this.#onLeft(input);
  }
}

function key(roomId: string, confId: string, userId: string, deviceId: string): string {
  return [roomId, confId, userId, deviceId].join("\u0000");
}
