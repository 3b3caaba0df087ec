import { z } from "zod";
import type { Context } from "../context.ts";
import { homeserverDefaults } from "../defaults.ts";
import type { DelayedEvents } from "../delayed/DelayedEvents.ts";
import { errors } from "../http/errors.ts";
import { type AuthedRequest, Prefixes, type Router } from "../http/router.ts";
import { parseBody } from "../http/validate.ts";
import { DelayedEventsMsc, Membership, RoomEventType } from "../names.ts";
import { createRoom, createRoomBody } from "./createRoom.ts";
import { clientEvent } from "./format.ts";
import type { OutgoingEvent, RoomService } from "./RoomService.ts";

const contentBody = z.record(z.string(), z.unknown());
const userBody = z.looseObject({ user_id: z.string(), reason: z.string().optional() });
const reasonBody = z.looseObject({ reason: z.string().optional() });

/** The delay of a delayed-event request (MSC4140), or undefined for a normal send. */
function requestedDelay(req: AuthedRequest): number | undefined {
  if (req.query.has(DelayedEventsMsc.parentQuery)) {
    throw errors.invalidParam("parent_delay_id is not supported by this server");
  }
  const raw = req.query.get(DelayedEventsMsc.delayQuery);
  if (raw === null) return undefined;
  const delay = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(delay)) {
    throw errors.invalidParam(`${DelayedEventsMsc.delayQuery} must be a number`);
  }
  return delay;
}

export function registerRoomRoutes(
  router: Router,
  ctx: Context,
  rooms: RoomService,
  delayed: DelayedEvents,
): void {
  const { client } = Prefixes;
  const sender = (req: AuthedRequest) => ({
    userId: req.session.userId,
    deviceId: req.session.deviceId,
  });
  const now = () => ctx.clock.now();

  router.add("POST", client, "/createRoom", "required", (req) => ({
    room_id: createRoom(ctx, rooms, sender(req), parseBody(createRoomBody, req.body)),
  }));

  const join = (req: AuthedRequest, idOrAlias: string) => {
    const roomId = rooms.resolve(idOrAlias);
    if (rooms.membership(roomId, req.session.userId) !== Membership.join) {
      rooms.setMembership(sender(req), roomId, req.session.userId, Membership.join);
    }
    return { room_id: roomId };
  };
  router.add("POST", client, "/join/:roomIdOrAlias", "required", (req) =>
    join(req, req.params.roomIdOrAlias!),
  );
  router.add("POST", client, "/rooms/:roomId/join", "required", (req) =>
    join(req, req.params.roomId!),
  );

  router.add("POST", client, "/rooms/:roomId/invite", "required", (req) => {
    const body = parseBody(userBody, req.body);
    if (!ctx.accounts.userExists(body.user_id))
      throw errors.notFound(`Unknown user ${body.user_id}`);
    rooms.setMembership(sender(req), req.params.roomId!, body.user_id, Membership.invite);
    return {};
  });

  router.add("POST", client, "/rooms/:roomId/leave", "required", (req) => {
    const body = parseBody(reasonBody, req.body);
    const extra = body.reason ? { reason: body.reason } : {};
    rooms.setMembership(
      sender(req),
      req.params.roomId!,
      req.session.userId,
      Membership.leave,
      extra,
    );
    return {};
  });

  router.add("POST", client, "/rooms/:roomId/forget", "required", () => ({}));

  router.add("POST", client, "/rooms/:roomId/kick", "required", (req) => {
    const body = parseBody(userBody, req.body);
    const extra = body.reason ? { reason: body.reason } : {};
    rooms.setMembership(sender(req), req.params.roomId!, body.user_id, Membership.leave, extra);
    return {};
  });

  router.add("POST", client, "/rooms/:roomId/ban", "required", (req) => {
    const body = parseBody(userBody, req.body);
    const extra = body.reason ? { reason: body.reason } : {};
    rooms.setMembership(sender(req), req.params.roomId!, body.user_id, Membership.ban, extra);
    return {};
  });

  router.add("POST", client, "/rooms/:roomId/unban", "required", (req) => {
    const body = parseBody(userBody, req.body);
    if (rooms.membership(req.params.roomId!, body.user_id) !== Membership.ban) {
      throw errors.forbidden(`${body.user_id} is not banned`);
    }
    rooms.setMembership(sender(req), req.params.roomId!, body.user_id, Membership.leave);
    return {};
  });

  router.add("GET", client, "/joined_rooms", "required", (req) => ({
    joined_rooms: ctx.rooms
      .roomsWithMembership(req.session.userId, Membership.join)
      .map((r) => r.room_id),
  }));

  router.add("GET", client, "/rooms/:roomId/joined_members", "required", (req) => {
    const roomId = req.params.roomId!;
    rooms.requireJoined(roomId, req.session.userId);
    const joined: Record<string, Record<string, unknown>> = {};
    for (const userId of ctx.rooms.members(roomId, Membership.join)) {
      const content = ctx.rooms.stateEvent(roomId, RoomEventType.member, userId)?.content ?? {};
      joined[userId] = { display_name: content.displayname, avatar_url: content.avatar_url };
    }
    return { joined };
  });

  router.add("GET", client, "/rooms/:roomId/members", "required", (req) => {
    const roomId = req.params.roomId!;
    rooms.requireJoined(roomId, req.session.userId);
    const wanted = req.query.get("membership");
    const chunk = ctx.rooms
      .state(roomId)
      .filter((e) => e.type === RoomEventType.member)
      .filter((e) => !wanted || e.content.membership === wanted)
      .map((e) => clientEvent(e, now()));
    return { chunk };
  });

  router.add("GET", client, "/directory/room/:alias", "optional", (req) => {
    const roomId = ctx.rooms.aliasRoom(req.params.alias!);
    if (!roomId) throw errors.notFound(`Room alias ${req.params.alias} not found`);
    return { room_id: roomId, servers: [ctx.config.serverName] };
  });

  router.add("GET", client, "/rooms/:roomId/state", "required", (req) => {
    const roomId = req.params.roomId!;
    rooms.requireJoined(roomId, req.session.userId);
    return ctx.rooms.state(roomId).map((e) => clientEvent(e, now()));
  });

  router.add("GET", client, "/rooms/:roomId/state/:type/:stateKey?", "required", (req) => {
    const roomId = req.params.roomId!;
    rooms.requireJoined(roomId, req.session.userId);
    const event = ctx.rooms.stateEvent(roomId, req.params.type!, req.params.stateKey ?? "");
    if (!event) throw errors.notFound("Event not found");
    return req.query.get("format") === "event" ? clientEvent(event, now()) : event.content;
  });

  const put = (req: AuthedRequest, event: OutgoingEvent) => {
    const roomId = req.params.roomId!;
    const delay = requestedDelay(req);
    if (delay !== undefined) return delayed.schedule(sender(req), roomId, event, delay);
    return { event_id: rooms.send(sender(req), roomId, event).event_id };
  };

  router.add("PUT", client, "/rooms/:roomId/state/:type/:stateKey?", "required", (req) =>
    put(req, {
      type: req.params.type!,
      stateKey: req.params.stateKey ?? "",
      content: parseBody(contentBody, req.body),
    }),
  );

  router.add("PUT", client, "/rooms/:roomId/send/:type/:txnId", "required", (req) => {
    const { userId, deviceId } = req.session;
    const txnKey = `send ${req.params.roomId}`;
    const delay = req.query.get(DelayedEventsMsc.delayQuery) !== null;
    const kind = delay ? `${txnKey} delayed` : txnKey;
    const seen = ctx.queues.transaction(userId, deviceId, kind, req.params.txnId!);
    if (seen !== undefined) return seen;
    const result = put(req, {
      type: req.params.type!,
      content: parseBody(contentBody, req.body),
      txnId: req.params.txnId!,
    });
    ctx.queues.rememberTransaction(userId, deviceId, kind, req.params.txnId!, result);
    return result;
  });

  router.add("GET", client, "/rooms/:roomId/event/:eventId", "required", (req) => {
    const roomId = req.params.roomId!;
    rooms.requireJoined(roomId, req.session.userId);
    const event = ctx.rooms.event(req.params.eventId!);
    if (!event || event.room_id !== roomId) throw errors.notFound("Event not found");
    return clientEvent(event, now(), req.session);
  });

  router.add("GET", client, "/rooms/:roomId/messages", "required", (req) => {
    const roomId = req.params.roomId!;
    rooms.requireJoined(roomId, req.session.userId);
    const dir = req.query.get("dir") ?? "b";
    if (dir !== "b" && dir !== "f") throw errors.invalidParam("dir must be b or f");
    const limit = Math.min(
      Math.max(1, Number(req.query.get("limit") ?? homeserverDefaults.messagesLimit) || 1),
      homeserverDefaults.messagesMaxLimit,
    );
    const current = ctx.db.currentPos();
    const from = parseToken(req.query.get("from")) ?? (dir === "b" ? current : 0);
    const to = parseToken(req.query.get("to"));
    const events =
      dir === "b"
        ? ctx.rooms.eventsBetween(roomId, to ?? 0, from, limit).reverse()
        : ctx.rooms.eventsForward(roomId, from, to ?? current, limit);
    const last = events.at(-1);
    const response: Record<string, unknown> = {
      start: `s${from}`,
      chunk: events.map((e) => clientEvent(e, now(), req.session)),
    };
    if (last && events.length === limit) response.end = `s${dir === "b" ? last.pos - 1 : last.pos}`;
    return response;
  });

  const noOp = () => ({});
  router.add("POST", client, "/rooms/:roomId/receipt/:receiptType/:eventId", "required", noOp);
  router.add("POST", client, "/rooms/:roomId/read_markers", "required", noOp);
  router.add("PUT", client, "/rooms/:roomId/typing/:userId", "required", noOp);
}

/** Stream position of a `s<pos>` token; undefined when absent or unreadable. */
export function parseToken(token: string | null | undefined): number | undefined {
  if (!token) return undefined;
  const match = /^s(\d+)/.exec(token);
  return match ? Number(match[1]) : undefined;
}
