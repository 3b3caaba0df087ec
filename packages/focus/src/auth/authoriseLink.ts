// Who may link with this focus (docs/cascading.md "Authorisation"): another focus, only for a
// conference in which current memberships of joined members name both that focus and this
// one as foci in use. The same rule decides which links this focus places. Pure.
import { type CallMembership, type FocusRef, HangupReason } from "@matrix-focus/protocol";
import { fociInUse, linkAllowed } from "../cascade/linkPlan.ts";
import { isAllowedServer, type Refusal, type RoomView } from "./authorise.ts";

export interface LinkFacts {
  /** The focus asking for a link. */
  sender: FocusRef;
  confId: string;
  room: RoomView<CallMembership> | undefined;
  focus: FocusRef;
  allowedHomeservers: readonly string[];
  isCurrent: (m: CallMembership) => boolean;
}

export type LinkDecision = { allowed: true } | Refusal;

export function authoriseLink(facts: LinkFacts): LinkDecision {
  const { room } = facts;
  if (!isAllowedServer(facts.sender.userId, facts.allowedHomeservers)) {
    return {
      allowed: false,
      reason: HangupReason.notAMember,
      detail: "the focus's homeserver is not allowed",
    };
  }
  if (room === undefined) {
    return {
      allowed: false,
      reason: HangupReason.unknownConference,
      detail: "no room of the focus holds this conference",
    };
  }
  const current = room.memberships.filter(
    (m) => m.confId === facts.confId && room.joinedMembers.has(m.userId) && facts.isCurrent(m),
  );
  if (!linkAllowed(facts.sender, facts.focus, fociInUse(current))) {
    return {
      allowed: false,
      reason: HangupReason.focusNotNamed,
      detail: "no current member uses both foci in this conference",
    };
  }
  return { allowed: true };
}
