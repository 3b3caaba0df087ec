// Who may call this focus (protocol.md "Security" and "Rules for the cases the MSC leaves
// open"): a device of a user joined to the room, with a current membership for the
// conference's conf_id that names this focus, optionally only users of allowed homeservers.
// Pure: every fact comes in as an argument, time included.
import { HangupReason, type HangupReasonCode } from "@matrix-focus/protocol";

export interface DeviceRef {
  userId: string;
  deviceId: string;
}

/** The fields of a parsed m.call.member membership the rules look at. */
export interface MembershipLike {
  userId: string;
  deviceId: string;
  confId: string;
}

/** What the focus knows about the conference's room. */
export interface RoomView<M extends MembershipLike> {
  /** Users whose m.room.member membership is `join`. */
  joinedMembers: ReadonlySet<string>;
  /** Every call membership in the room (all conf_ids, current or not). */
  memberships: readonly M[];
}

/** How memberships are judged; the protocol package provides both. */
export interface MembershipRules<M> {
  isCurrent(m: M, now: number): boolean;
  namesFocus(m: M, focus: DeviceRef): boolean;
}

export interface CallerFacts<M extends MembershipLike> {
  sender: DeviceRef;
  confId: string;
  /** The conference's room, or undefined when the conference could not be resolved. */
  room: RoomView<M> | undefined;
  focus: DeviceRef;
  /** Homeserver names allowed to use the focus; empty = any. */
  allowedHomeservers: readonly string[];
  now: number;
}

export type Refusal = { allowed: false; reason: HangupReasonCode; detail: string };
export type AuthDecision<M> = { allowed: true; membership: M } | Refusal;

/** The server name of a user id (`@user:server` -> `server`). */
export function serverNameOf(userId: string): string {
  const i = userId.indexOf(":");
  return i < 0 ? "" : userId.slice(i + 1);
}

export function isAllowedServer(userId: string, allowed: readonly string[]): boolean {
  return allowed.length === 0 || allowed.includes(serverNameOf(userId));
}

const refuse = (reason: HangupReasonCode, detail: string): Refusal => ({
  allowed: false,
  reason,
  detail,
});

/** Decides whether the sender may place (or keep) a call in the conference. */
export function authoriseCaller<M extends MembershipLike>(
  facts: CallerFacts<M>,
  rules: MembershipRules<M>,
): AuthDecision<M> {
  const { sender, room } = facts;
  if (!isAllowedServer(sender.userId, facts.allowedHomeservers)) {
    return refuse(HangupReason.notAMember, "the sender's homeserver is not allowed");
  }
  if (room === undefined) {
    return refuse(HangupReason.unknownConference, "no room of the focus holds this conference");
  }
  if (!room.joinedMembers.has(sender.userId)) {
    return refuse(HangupReason.notAMember, "the sender is not joined to the room");
  }
  const own = room.memberships.filter(
    (m) =>
      m.userId === sender.userId &&
      m.deviceId === sender.deviceId &&
      m.confId === facts.confId &&
      rules.isCurrent(m, facts.now),
  );
  if (own.length === 0) {
    return refuse(HangupReason.notAMember, "the sender's device has no current membership");
  }
  const naming = own.find((m) => rules.namesFocus(m, facts.focus));
  if (naming === undefined) {
    return refuse(HangupReason.focusNotNamed, "the sender's membership does not name this focus");
  }
  return { allowed: true, membership: naming };
}
