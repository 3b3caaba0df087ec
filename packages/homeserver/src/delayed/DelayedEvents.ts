import type { TimerHandle } from "../clock.ts";
import type { Context } from "../context.ts";
import { homeserverDefaults } from "../defaults.ts";
import { errors, MatrixError } from "../http/errors.ts";
import { randomString } from "../ids.ts";
import { DelayedEventsMsc, RoomEventType } from "../names.ts";
import { checkMembership, checkSend } from "../rooms/authRules.ts";
import type { OutgoingEvent, RoomService } from "../rooms/RoomService.ts";
import type { DelayedEventRecord } from "../storage/queues.ts";
import type { RoomEvent } from "../storage/rooms.ts";

export const DelayedAction = { cancel: "cancel", restart: "restart", send: "send" } as const;
export type DelayedAction = (typeof DelayedAction)[keyof typeof DelayedAction];

type Reason = "action" | "delay" | "error";

function info(record: DelayedEventRecord): Record<string, unknown> {
  return {
    delay_id: record.delay_id,
    room_id: record.room_id,
    type: record.type,
    ...(record.state_key !== undefined ? { state_key: record.state_key } : {}),
    content: record.content,
    delay: record.delay_ms,
    running_since: record.running_since,
  };
}

/**
 * Delayed events (MSC4140): events a client schedules to be sent after a delay unless it restarts
 * or cancels them — MatrixRTC uses them so a vanished device leaves its call.
 */
export class DelayedEvents {
  private readonly ctx: Context;
  private readonly rooms: RoomService;
  private readonly timers = new Map<string, TimerHandle>();

  constructor(ctx: Context, rooms: RoomService) {
    this.ctx = ctx;
    this.rooms = rooms;
    rooms.onStateEvent((event) => this.cancelOverwritten(event));
  }

  /** Re-arms the timers of every stored delayed event (after a restart). */
  start(): void {
    for (const record of this.ctx.queues.allDelayed()) this.arm(record);
  }

  stop(): void {
    for (const handle of this.timers.values()) this.ctx.clock.clearTimeout(handle);
    this.timers.clear();
  }

  schedule(
    sender: { userId: string; deviceId: string },
    roomId: string,
    event: OutgoingEvent,
    delayMs: number,
  ): { delay_id: string } {
    if (!Number.isInteger(delayMs) || delayMs < 0) {
      throw errors.invalidParam("The delay must be a non-negative integer of milliseconds");
    }
    const max = homeserverDefaults.maxDelayedEventDelayMs;
    if (delayMs > max) {
      throw new MatrixError(400, "M_UNKNOWN", `The delay may be at most ${max} ms`, {
        [DelayedEventsMsc.errcodeField]: DelayedEventsMsc.maxDelayExceeded,
        [DelayedEventsMsc.maxDelayField]: max,
      });
    }
    this.rooms.requireRoom(roomId);
    const state = this.rooms.lookup(roomId);
    if (event.type === RoomEventType.member && event.stateKey !== undefined) {
      checkMembership(state, sender.userId, event.stateKey, String(event.content.membership));
    } else {
      checkSend(state, sender.userId, event.type, event.stateKey, event.content);
    }
    const record: DelayedEventRecord = {
      delay_id: `syd_${randomString(15)}`,
      user_id: sender.userId,
      device_id: sender.deviceId,
      room_id: roomId,
      type: event.type,
      ...(event.stateKey !== undefined ? { state_key: event.stateKey } : {}),
      content: event.content,
      delay_ms: delayMs,
      running_since: this.ctx.clock.now(),
    };
    this.ctx.queues.addDelayed(record);
    this.arm(record);
    this.ctx.logger.debug({ delayId: record.delay_id, roomId, delayMs }, "delayed event scheduled");
    return { delay_id: record.delay_id };
  }

  /** Applies a restart, cancel or send; `userId` (when authenticated) must own the event. */
  update(delayId: string, action: DelayedAction, userId: string | undefined): void {
    const record = this.ctx.queues.delayed(delayId);
    if (!record || (userId !== undefined && record.user_id !== userId)) {
      throw errors.notFound(`No scheduled delayed event ${delayId}`);
    }
    switch (action) {
      case DelayedAction.restart: {
        record.running_since = this.ctx.clock.now();
        this.ctx.queues.restartDelayed(delayId, record.running_since);
        this.arm(record);
        return;
      }
      case DelayedAction.cancel:
        this.finalise(record, "cancel", "action");
        return;
      case DelayedAction.send:
        this.fire(record, "action");
        return;
    }
  }

  list(userId: string, status: string | undefined, delayIds: string[]): Record<string, unknown> {
    const wanted = (id: string) => delayIds.length === 0 || delayIds.includes(id);
    const out: Record<string, unknown> = {};
    if (status !== "finalised") {
      out.scheduled = this.ctx.queues
        .delayedOfUser(userId)
        .filter((r) => wanted(r.delay_id))
        .map(info);
    }
    if (status !== "scheduled") {
      out.finalised = this.ctx.queues.finalisedOfUser(userId).filter((f) => {
        const item = (f as { delayed_event: { delay_id: string } }).delayed_event;
        return wanted(item.delay_id);
      });
    }
    return out;
  }

  private arm(record: DelayedEventRecord): void {
    const existing = this.timers.get(record.delay_id);
    if (existing) this.ctx.clock.clearTimeout(existing);
    const due = record.running_since + record.delay_ms - this.ctx.clock.now();
    const handle = this.ctx.clock.setTimeout(
      () => {
        this.timers.delete(record.delay_id);
        const current = this.ctx.queues.delayed(record.delay_id);
        if (current) this.fire(current, "delay");
      },
      Math.max(0, due),
    );
    this.timers.set(record.delay_id, handle);
  }

  private fire(record: DelayedEventRecord, reason: Reason): void {
    try {
      const event = this.rooms.send(
        { userId: record.user_id, deviceId: record.device_id },
        record.room_id,
        {
          type: record.type,
          ...(record.state_key !== undefined ? { stateKey: record.state_key } : {}),
          content: record.content,
        },
      );
      this.finalise(record, "send", reason, { event_id: event.event_id });
      this.ctx.logger.info(
        { delayId: record.delay_id, eventId: event.event_id, reason },
        "delayed event sent",
      );
    } catch (e) {
      const error =
        e instanceof MatrixError ? e.toJSON() : { errcode: "M_UNKNOWN", error: String(e) };
      this.finalise(record, "send", "error", { error });
      this.ctx.logger.warn({ delayId: record.delay_id, error }, "delayed event could not be sent");
    }
  }

  private finalise(
    record: DelayedEventRecord,
    outcome: "send" | "cancel",
    reason: Reason,
    extra: Record<string, unknown> = {},
  ): void {
    const handle = this.timers.get(record.delay_id);
    if (handle) this.ctx.clock.clearTimeout(handle);
    this.timers.delete(record.delay_id);
    const now = this.ctx.clock.now();
    this.ctx.db.transaction(() => {
      this.ctx.queues.removeDelayed(record.delay_id);
      this.ctx.queues.addFinalised(
        record.delay_id,
        record.user_id,
        { delayed_event: info(record), outcome, reason, origin_server_ts: now, ...extra },
        now,
      );
    });
  }

  /** A state change by someone else replaces the state a delayed event would have set. */
  private cancelOverwritten(event: RoomEvent): void {
    if (event.state_key === undefined) return;
    const affected = this.ctx.queues.delayedForState(
      event.room_id,
      event.type,
      event.state_key,
      event.sender,
    );
    for (const record of affected) this.finalise(record, "cancel", "action");
  }
}
