import { errors } from "../http/errors.ts";
import { JoinRule, Membership, RoomEventType } from "../names.ts";
import type { RoomEvent } from "../storage/rooms.ts";

/** What the rules need to know about a room's current state. */
export type StateLookup = (type: string, stateKey: string) => RoomEvent | undefined;

type PowerLevels = {
  users: Record<string, number>;
  users_default: number;
  events: Record<string, number>;
  events_default: number;
  state_default: number;
  invite: number;
  kick: number;
  ban: number;
  redact: number;
};

function num(v: unknown, fallback: number): number {
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}

function numMap(v: unknown): Record<string, number> {
  if (!v || typeof v !== "object") return {};
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).filter(([, n]) => typeof n === "number"),
  ) as Record<string, number>;
}

export function powerLevels(state: StateLookup): PowerLevels {
  const c = state(RoomEventType.powerLevels, "")?.content;
  if (!c) {
    // No power levels event: the creator is 100, everyone else 0 (Matrix spec rules).
    const creator = state(RoomEventType.create, "")?.sender;
    return {
      users: creator ? { [creator]: 100 } : {},
      users_default: 0,
      events: {},
      events_default: 0,
      state_default: 0,
      invite: 0,
      kick: 50,
      ban: 50,
      redact: 50,
    };
  }
  return {
    users: numMap(c.users),
    users_default: num(c.users_default, 0),
    events: numMap(c.events),
    events_default: num(c.events_default, 0),
    state_default: num(c.state_default, 50),
    invite: num(c.invite, 0),
    kick: num(c.kick, 50),
    ban: num(c.ban, 50),
    redact: num(c.redact, 50),
  };
}

export function userLevel(pl: PowerLevels, userId: string): number {
  return pl.users[userId] ?? pl.users_default;
}

export function membershipOf(state: StateLookup, userId: string): string | undefined {
  const m = state(RoomEventType.member, userId)?.content.membership;
  return typeof m === "string" ? m : undefined;
}

/** The user a state key belongs to: `@user`, `@user_suffix` (MSC3757) or `_@user_suffix`. */
function stateKeyOwner(stateKey: string): string | undefined {
  const body = stateKey.startsWith("_@") ? stateKey.slice(1) : stateKey;
  if (!body.startsWith("@")) return undefined;
  const colon = body.indexOf(":");
  if (colon < 0) return body;
  // The server name ends at the first "_" after the colon (device ids and suffixes follow it).
  const underscore = body.indexOf("_", colon);
  return underscore < 0 ? body : body.slice(0, underscore);
}

/**
 * Checks a non-membership event against the room's power levels and state key ownership.
 * Throws M_FORBIDDEN with the reason when the sender may not send it.
 */
export function checkSend(
  state: StateLookup,
  sender: string,
  type: string,
  stateKey: string | undefined,
  content: Record<string, unknown>,
): void {
  if (membershipOf(state, sender) !== Membership.join) {
    throw errors.forbidden(`${sender} is not joined to the room`);
  }
  const pl = powerLevels(state);
  const level = userLevel(pl, sender);
  const isState = stateKey !== undefined;
  const needed = pl.events[type] ?? (isState ? pl.state_default : pl.events_default);
  if (level < needed) {
    throw errors.forbidden(`Sending ${type} needs power level ${needed}; ${sender} has ${level}`);
  }
  if (type === RoomEventType.create) throw errors.forbidden("The create event cannot be replaced");
  if (isState) {
    const owner = stateKeyOwner(stateKey);
    if (owner !== undefined && owner !== sender) {
      if (level <= userLevel(pl, owner)) {
        throw errors.forbidden(`State key ${stateKey} belongs to ${owner}`);
      }
    }
  }
  if (type === RoomEventType.powerLevels) checkPowerLevelChange(pl, level, sender, content);
}

function checkPowerLevelChange(
  old: PowerLevels,
  level: number,
  sender: string,
  content: Record<string, unknown>,
): void {
  const users = numMap(content.users);
  const ids = new Set([...Object.keys(old.users), ...Object.keys(users)]);
  for (const id of ids) {
    const before = old.users[id];
    const after = users[id];
    if (before === after) continue;
    if (id !== sender && before !== undefined && before >= level) {
      throw errors.forbidden(`Cannot change the level of ${id}, who is not below ${sender}`);
    }
    if (after !== undefined && after > level) {
      throw errors.forbidden(`Cannot raise ${id} above ${sender}'s own level ${level}`);
    }
  }
}

/** Checks a membership change of `target` made by `sender`. */
export function checkMembership(
  state: StateLookup,
  sender: string,
  target: string,
  membership: string,
): void {
  const current = membershipOf(state, target);
  const senderMembership = membershipOf(state, sender);
  const pl = powerLevels(state);
  const level = userLevel(pl, sender);
  switch (membership) {
    case Membership.join: {
      if (sender !== target) throw errors.forbidden("Cannot join on behalf of another user");
      if (current === Membership.ban) throw errors.forbidden(`${target} is banned from the room`);
      if (current === Membership.join || current === Membership.invite) return;
      const rule = state(RoomEventType.joinRules, "")?.content.join_rule;
      if (rule !== JoinRule.public) throw errors.forbidden("You are not invited to this room");
      return;
    }
    case Membership.invite: {
      if (senderMembership !== Membership.join) throw errors.forbidden(`${sender} is not joined`);
      if (current === Membership.join) throw errors.forbidden(`${target} is already in the room`);
      if (current === Membership.ban) throw errors.forbidden(`${target} is banned from the room`);
      if (level < pl.invite) throw errors.forbidden(`Inviting needs power level ${pl.invite}`);
      return;
    }
    case Membership.leave: {
      if (sender === target) {
        if (current !== Membership.join && current !== Membership.invite) {
          throw errors.forbidden(`${target} is not in the room`);
        }
        return;
      }
      if (senderMembership !== Membership.join) throw errors.forbidden(`${sender} is not joined`);
      const needed = current === Membership.ban ? pl.ban : pl.kick;
      if (level < needed || level <= userLevel(pl, target)) {
        throw errors.forbidden(`${sender} may not remove ${target}`);
      }
      return;
    }
    case Membership.ban: {
      if (senderMembership !== Membership.join) throw errors.forbidden(`${sender} is not joined`);
      if (level < pl.ban || level <= userLevel(pl, target)) {
        throw errors.forbidden(`${sender} may not ban ${target}`);
      }
      return;
    }
    default:
      throw errors.forbidden(`Membership ${membership} is not supported`);
  }
}
