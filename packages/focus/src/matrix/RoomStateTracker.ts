// The room state the focus needs to decide who may call it: joined members, the rooms'
// `m.call` events (legacy conf_id -> room) and every `m.call.member` membership, in both shapes
// and both spellings. Fed from /sync and from GET /rooms/{id}/state at start.
import {
  type CallMembership,
  isMembershipCurrent,
  isName,
  parseCallMemberContent,
  StateEventNames,
} from "@matrix-focus/protocol";
import type { Logger } from "pino";
import type { RoomView } from "../auth/authorise.ts";
import type { MatrixEvent } from "./syncTypes.ts";

const JOIN = "join";

interface RoomState {
  /** user id -> m.room.member membership ("join", "invite", "leave", ...). */
  members: Map<string, string>;
  /** conf_ids that have a non-empty `m.call` state event in this room. */
  calls: Set<string>;
  /** call member state key -> the memberships it holds. */
  callMembers: Map<string, CallMembership[]>;
}

/** One current membership and the room it is in. */
export interface PlacedMembership {
  roomId: string;
  membership: CallMembership;
}

export class RoomStateTracker {
  readonly #rooms = new Map<string, RoomState>();
  readonly #log: Logger;

  constructor(logger: Logger) {
    this.#log = logger;
  }

  /** Applies one state event (from a sync's state or timeline block, or a state snapshot). */
  applyStateEvent(roomId: string, ev: MatrixEvent): void {
    if (typeof ev.state_key !== "string" || typeof ev.type !== "string") return;
    const room = this.#room(roomId);
    const content = ev.content ?? {};
    if (isName(StateEventNames.member, ev.type)) {
      const membership = typeof content.membership === "string" ? content.membership : "leave";
      room.members.set(ev.state_key, membership);
    } else if (isName(StateEventNames.call, ev.type)) {
      if (Object.keys(content).length > 0) room.calls.add(ev.state_key);
      else room.calls.delete(ev.state_key);
    } else if (isName(StateEventNames.callMember, ev.type)) {
      const parsed = parseCallMemberContent(
        ev.state_key,
        content,
        ev.sender,
        ev.origin_server_ts ?? 0,
      );
      if (parsed.ok) {
        room.callMembers.set(ev.state_key, parsed.value);
      } else {
        room.callMembers.delete(ev.state_key);
        this.#log.warn(
          { roomId, stateKey: ev.state_key, sender: ev.sender, issues: parsed.error.issues },
          "ignoring a call membership that does not parse",
        );
      }
    }
  }

  /** Replaces everything known about a room with a full state snapshot. */
  replaceRoom(roomId: string, events: MatrixEvent[]): void {
    this.#rooms.delete(roomId);
    this.#room(roomId);
    for (const ev of events) this.applyStateEvent(roomId, ev);
  }

  forgetRoom(roomId: string): void {
    this.#rooms.delete(roomId);
  }

  hasRoom(roomId: string): boolean {
    return this.#rooms.has(roomId);
  }

  /** What the authorisation rules need to know about a room; undefined if the focus is not in it. */
  view(roomId: string): RoomView<CallMembership> | undefined {
    const room = this.#rooms.get(roomId);
    if (room === undefined) return undefined;
    const joined = new Set<string>();
    for (const [userId, m] of room.members) if (m === JOIN) joined.add(userId);
    return { joinedMembers: joined, memberships: [...room.callMembers.values()].flat() };
  }

  /** Rooms whose `m.call` state key is `confId` (legacy conference resolution). */
  roomsWithCall(confId: string): string[] {
    return [...this.#rooms].filter(([, r]) => r.calls.has(confId)).map(([id]) => id);
  }

  /** Rooms where `userId` holds a membership for `confId` (any expiry). */
  roomsWithMembership(userId: string, confId: string): string[] {
    return [...this.#rooms]
      .filter(([, r]) =>
        [...r.callMembers.values()].some((list) =>
          list.some((m) => m.userId === userId && m.confId === confId),
        ),
      )
      .map(([id]) => id);
  }

  /** Every membership that is unexpired and whose user is joined to its room. */
  currentMemberships(now: number): PlacedMembership[] {
    const out: PlacedMembership[] = [];
    for (const [roomId, room] of this.#rooms) {
      for (const list of room.callMembers.values()) {
        for (const m of list) {
          if (room.members.get(m.userId) === JOIN && isMembershipCurrent(m, now)) {
            out.push({ roomId, membership: m });
          }
        }
      }
    }
    return out;
  }

  #room(roomId: string): RoomState {
    let room = this.#rooms.get(roomId);
    if (room === undefined) {
      room = { members: new Map(), calls: new Set(), callMembers: new Map() };
      this.#rooms.set(roomId, room);
    }
    return room;
  }
}
