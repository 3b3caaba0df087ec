import type { Context } from "../context.ts";
import { homeserverDefaults } from "../defaults.ts";
import { type AuthedRequest, Prefixes, type Router } from "../http/router.ts";
import { Membership, RoomEventType } from "../names.ts";
import { clientEvent, strippedEvent, type Viewer } from "../rooms/format.ts";
import { parseToken } from "../rooms/handlers.ts";

type Position = { rooms: number; toDevice: number };

type SyncRequest = {
  viewer: Viewer;
  since: Position | undefined;
  fullState: boolean;
  limit: number;
};

/** `s<roomPos>_<toDevicePos>`; the to-device part is behind when a batch was cut short. */
function parseSince(token: string | null): Position | undefined {
  const rooms = parseToken(token);
  if (rooms === undefined) return undefined;
  const toDevice = Number(/^s\d+_(\d+)$/.exec(token ?? "")?.[1] ?? rooms);
  return { rooms, toDevice };
}

const inviteStateTypes: string[] = [
  RoomEventType.create,
  RoomEventType.joinRules,
  RoomEventType.name,
  RoomEventType.canonicalAlias,
  RoomEventType.avatar,
  RoomEventType.encryption,
];

function timelineLimit(ctx: Context, userId: string, filterParam: string | null): number {
  let filter: unknown;
  if (filterParam?.trim().startsWith("{")) {
    try {
      filter = JSON.parse(filterParam);
    } catch {
      filter = undefined;
    }
  } else if (filterParam) {
    filter = ctx.queues.filter(userId, filterParam);
  }
  const limit = (filter as { room?: { timeline?: { limit?: unknown } } } | undefined)?.room
    ?.timeline?.limit;
  return typeof limit === "number" && limit > 0
    ? Math.min(limit, homeserverDefaults.messagesMaxLimit)
    : homeserverDefaults.syncTimelineLimit;
}

function joinedRoom(ctx: Context, r: SyncRequest, roomId: string, joinPos: number, upto: number) {
  const now = ctx.clock.now();
  const since = r.since?.rooms;
  const initial =
    since === undefined ||
    r.fullState ||
    (joinPos > since && ctx.rooms.joinedSince(roomId, r.viewer.userId, since));
  const after = initial ? 0 : since;
  const timeline = ctx.rooms.eventsBetween(roomId, after, upto, r.limit);
  const roomAccountData = ctx.queues
    .accountDataSince(r.viewer.userId, initial ? 0 : since)
    .filter((a) => a.room_id === roomId);
  if (!initial && timeline.length === 0 && roomAccountData.length === 0) return undefined;
  const limited = ctx.rooms.countBetween(roomId, after, upto) > timeline.length;
  const inTimeline = new Set(timeline.map((e) => e.event_id));
  const state = initial
    ? ctx.rooms.state(roomId)
    : limited
      ? ctx.rooms.stateChangedSince(roomId, since)
      : [];
  const first = timeline[0];
  return {
    state: {
      events: state.filter((e) => !inTimeline.has(e.event_id)).map((e) => clientEvent(e, now)),
    },
    timeline: {
      events: timeline.map((e) => clientEvent(e, now, r.viewer)),
      limited,
      prev_batch: `s${first ? first.pos - 1 : upto}`,
    },
    ephemeral: { events: [] },
    account_data: { events: roomAccountData.map((a) => ({ type: a.type, content: a.content })) },
    unread_notifications: { notification_count: 0, highlight_count: 0 },
    summary: {},
  };
}

/** Builds one sync answer for the positions in (since, now]. */
function buildSync(ctx: Context, r: SyncRequest) {
  const upto = ctx.db.currentPos();
  const now = ctx.clock.now();
  const since = r.since?.rooms;
  const { userId, deviceId } = r.viewer;
  const join: Record<string, unknown> = {};
  for (const { room_id, pos } of ctx.rooms.roomsWithMembership(userId, Membership.join)) {
    const room = joinedRoom(ctx, r, room_id, Number(pos), upto);
    if (room) join[room_id] = room;
  }
  const invite: Record<string, unknown> = {};
  for (const { room_id, pos } of ctx.rooms.roomsWithMembership(userId, Membership.invite)) {
    if (since !== undefined && !r.fullState && Number(pos) <= since) continue;
    const events = inviteStateTypes
      .map((type) => ctx.rooms.stateEvent(room_id, type, ""))
      .concat(ctx.rooms.stateEvent(room_id, RoomEventType.member, userId))
      .filter((e) => e !== undefined)
      .map(strippedEvent);
    invite[room_id] = { invite_state: { events } };
  }
  const leave: Record<string, unknown> = {};
  if (since !== undefined) {
    const gone = [
      ...ctx.rooms.roomsWithMembership(userId, Membership.leave),
      ...ctx.rooms.roomsWithMembership(userId, Membership.ban),
    ];
    for (const { room_id, pos } of gone) {
      if (Number(pos) <= since) continue;
      const timeline = ctx.rooms.eventsBetween(room_id, since, Number(pos), r.limit);
      leave[room_id] = {
        state: { events: [] },
        timeline: {
          events: timeline.map((e) => clientEvent(e, now, r.viewer)),
          limited: false,
          prev_batch: `s${since}`,
        },
        account_data: { events: [] },
      };
    }
  }
  const accountData = ctx.queues
    .accountDataSince(userId, since ?? 0)
    .filter((a) => a.room_id === "")
    .map((a) => ({ type: a.type, content: a.content }));
  const toDevice = ctx.queues.takeToDevice(
    userId,
    deviceId,
    r.since?.toDevice ?? 0,
    upto,
    homeserverDefaults.toDeviceLimit,
  );
  const toDevicePos =
    toDevice.length === homeserverDefaults.toDeviceLimit ? toDevice.at(-1)!.pos : upto;
  const empty =
    Object.keys(join).length + Object.keys(invite).length + Object.keys(leave).length === 0 &&
    accountData.length === 0 &&
    toDevice.length === 0;
  return {
    empty,
    body: {
      next_batch: toDevicePos === upto ? `s${upto}` : `s${upto}_${toDevicePos}`,
      rooms: { join, invite, leave, knock: {} },
      account_data: { events: accountData },
      to_device: {
        events: toDevice.map((m) => ({ sender: m.sender, type: m.type, content: m.content })),
      },
      presence: { events: [] },
      device_lists: { changed: [], left: [] },
      device_one_time_keys_count: {},
      device_unused_fallback_key_types: [],
    },
  };
}

export function registerSyncRoutes(router: Router, ctx: Context): void {
  router.add("GET", Prefixes.client, "/sync", "required", async (req: AuthedRequest) => {
    const sinceParam = req.query.get("since");
    let since = parseSince(sinceParam);
    if (sinceParam && (since === undefined || since.rooms > ctx.db.currentPos())) {
      ctx.logger.warn({ since: sinceParam }, "unknown sync token; answering with a full sync");
      since = undefined;
    }
    const r: SyncRequest = {
      viewer: req.session,
      since,
      fullState: req.query.get("full_state") === "true",
      limit: timelineLimit(ctx, req.session.userId, req.query.get("filter")),
    };
    const timeout = Math.min(
      Math.max(0, Number(req.query.get("timeout") ?? 0) || 0),
      homeserverDefaults.maxSyncTimeoutMs,
    );
    let result = buildSync(ctx, r);
    if (since === undefined || r.fullState) return result.body;
    const deadline = ctx.clock.now() + timeout;
    while (result.empty && !req.signal.aborted) {
      const remaining = deadline - ctx.clock.now();
      if (remaining <= 0) break;
      await ctx.notifier.waitForChange(remaining, req.signal);
      result = buildSync(ctx, r);
    }
    return result.body;
  });
}
