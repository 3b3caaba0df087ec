import type { Context } from "../context.ts";
import { errors } from "../http/errors.ts";
import { newEventId } from "../ids.ts";
import { Membership, RoomEventType } from "../names.ts";
import type { RoomEvent } from "../storage/rooms.ts";
import { checkMembership, checkSend, membershipOf, type StateLookup } from "./authRules.ts";

export type Sender = { userId: string; deviceId?: string };

export type OutgoingEvent = {
  type: string;
  stateKey?: string;
  content: Record<string, unknown>;
  txnId?: string;
};

export type StateEventListener = (event: RoomEvent) => void;

/** Sends events into rooms after checking the Matrix rules that matter here. */
export class RoomService {
  private readonly ctx: Context;
  private readonly stateListeners: StateEventListener[] = [];

  constructor(ctx: Context) {
    this.ctx = ctx;
  }

  /** Called after every accepted state event. */
  onStateEvent(listener: StateEventListener): void {
    this.stateListeners.push(listener);
  }

  lookup(roomId: string): StateLookup {
    return (type, stateKey) => this.ctx.rooms.stateEvent(roomId, type, stateKey);
  }

  requireRoom(roomId: string): void {
    if (!this.ctx.rooms.room(roomId)) throw errors.notFound(`Unknown room ${roomId}`);
  }

  /** Room id for an id or `#alias:server`. */
  resolve(idOrAlias: string): string {
    if (idOrAlias.startsWith("#")) {
      const roomId = this.ctx.rooms.aliasRoom(idOrAlias);
      if (!roomId) throw errors.notFound(`Unknown room alias ${idOrAlias}`);
      return roomId;
    }
    if (!idOrAlias.startsWith("!"))
      throw errors.invalidParam(`${idOrAlias} is not a room id or alias`);
    this.requireRoom(idOrAlias);
    return idOrAlias;
  }

  membership(roomId: string, userId: string): string | undefined {
    return membershipOf(this.lookup(roomId), userId);
  }

  requireJoined(roomId: string, userId: string): void {
    this.requireRoom(roomId);
    if (this.membership(roomId, userId) !== Membership.join) {
      throw errors.forbidden(`${userId} is not joined to ${roomId}`);
    }
  }

  /** Sends any event as `sender`; member events go through the membership rules. */
  send(sender: Sender, roomId: string, event: OutgoingEvent): RoomEvent {
    this.requireRoom(roomId);
    const state = this.lookup(roomId);
    if (event.type === RoomEventType.member && event.stateKey !== undefined) {
      const membership = event.content.membership;
      if (typeof membership !== "string") throw errors.badJson("membership must be a string");
      checkMembership(state, sender.userId, event.stateKey, membership);
    } else {
      checkSend(state, sender.userId, event.type, event.stateKey, event.content);
    }
    return this.append(sender, roomId, event);
  }

  /** Changes `target`'s membership, adding the profile to joins. */
  setMembership(
    sender: Sender,
    roomId: string,
    target: string,
    membership: string,
    extra: Record<string, unknown> = {},
  ): RoomEvent {
    const content: Record<string, unknown> = { ...extra, membership };
    if (membership === Membership.join || membership === Membership.invite) {
      const displayname = this.ctx.accounts.displayName(target);
      if (displayname !== undefined && content.displayname === undefined) {
        content.displayname = displayname;
      }
    }
    return this.send(sender, roomId, { type: RoomEventType.member, stateKey: target, content });
  }

  /** Appends without checks: used for the events that make up a new room. */
  append(sender: Sender, roomId: string, event: OutgoingEvent): RoomEvent {
    const stored = this.ctx.rooms.append({
      event_id: newEventId(),
      room_id: roomId,
      type: event.type,
      ...(event.stateKey !== undefined ? { state_key: event.stateKey } : {}),
      sender: sender.userId,
      content: event.content,
      origin_server_ts: this.ctx.clock.now(),
      ...(event.txnId !== undefined && sender.deviceId !== undefined
        ? { txn_id: event.txnId, txn_device: sender.deviceId }
        : {}),
    });
    this.ctx.logger.debug(
      { roomId, type: event.type, stateKey: event.stateKey, sender: sender.userId },
      "event sent",
    );
    if (stored.state_key !== undefined) {
      for (const listener of this.stateListeners) listener(stored);
    }
    this.ctx.notifier.notify();
    return stored;
  }
}
