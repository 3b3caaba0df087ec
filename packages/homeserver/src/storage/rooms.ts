import { Membership, RoomEventType } from "../names.ts";
import type { Database } from "./database.ts";

/** A room event as stored and as served to clients (minus `unsigned`, added on the way out). */
export type RoomEvent = {
  pos: number;
  event_id: string;
  room_id: string;
  type: string;
  state_key?: string;
  sender: string;
  content: Record<string, unknown>;
  prev_content?: Record<string, unknown>;
  origin_server_ts: number;
  txn_id?: string;
  txn_device?: string;
};

type EventRow = {
  pos: number;
  event_id: string;
  room_id: string;
  type: string;
  state_key: string | null;
  sender: string;
  content: string;
  prev_content: string | null;
  origin_server_ts: number;
  txn_id: string | null;
  txn_device: string | null;
};

export type RoomRecord = {
  room_id: string;
  room_version: string;
  creator: string;
  visibility: string;
};

const eventColumns =
  "e.pos, e.event_id, e.room_id, e.type, e.state_key, e.sender, e.content, e.prev_content, e.origin_server_ts, e.txn_id, e.txn_device";

function toEvent(row: EventRow): RoomEvent {
  const event: RoomEvent = {
    pos: Number(row.pos),
    event_id: row.event_id,
    room_id: row.room_id,
    type: row.type,
    sender: row.sender,
    content: JSON.parse(row.content),
    origin_server_ts: Number(row.origin_server_ts),
  };
  if (row.state_key !== null) event.state_key = row.state_key;
  if (row.prev_content !== null) event.prev_content = JSON.parse(row.prev_content);
  if (row.txn_id !== null) event.txn_id = row.txn_id;
  if (row.txn_device !== null) event.txn_device = row.txn_device;
  return event;
}

/** Rooms, aliases, the event log and the current state of every room. */
export class RoomStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  createRoom(room: RoomRecord, createdTs: number): void {
    this.db.run(
      "INSERT INTO rooms (room_id, room_version, creator, visibility, created_ts) VALUES (?, ?, ?, ?, ?)",
      room.room_id,
      room.room_version,
      room.creator,
      room.visibility,
      createdTs,
    );
  }

  room(roomId: string): RoomRecord | undefined {
    return this.db.get<RoomRecord>(
      "SELECT room_id, room_version, creator, visibility FROM rooms WHERE room_id = ?",
      roomId,
    );
  }

  aliasRoom(alias: string): string | undefined {
    return this.db.get<{ room_id: string }>("SELECT room_id FROM aliases WHERE alias = ?", alias)
      ?.room_id;
  }

  addAlias(alias: string, roomId: string): void {
    this.db.run("INSERT INTO aliases (alias, room_id) VALUES (?, ?)", alias, roomId);
  }

  /** Appends an event; state events also replace the current state for their key. */
  append(event: Omit<RoomEvent, "pos" | "prev_content">): RoomEvent {
    return this.db.transaction(() => {
      const pos = this.db.nextPos();
      let prev: Record<string, unknown> | undefined;
      if (event.state_key !== undefined) {
        prev = this.stateEvent(event.room_id, event.type, event.state_key)?.content;
      }
      this.db.run(
        `INSERT INTO events (pos, event_id, room_id, type, state_key, sender, content, prev_content,
           origin_server_ts, txn_id, txn_device) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        pos,
        event.event_id,
        event.room_id,
        event.type,
        event.state_key ?? null,
        event.sender,
        JSON.stringify(event.content),
        prev ? JSON.stringify(prev) : null,
        event.origin_server_ts,
        event.txn_id ?? null,
        event.txn_device ?? null,
      );
      if (event.state_key !== undefined) {
        const membership =
          typeof event.content.membership === "string" ? event.content.membership : null;
        this.db.run(
          `INSERT INTO current_state (room_id, type, state_key, event_id, pos, membership)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (room_id, type, state_key)
           DO UPDATE SET event_id = excluded.event_id, pos = excluded.pos, membership = excluded.membership`,
          event.room_id,
          event.type,
          event.state_key,
          event.event_id,
          pos,
          membership,
        );
      }
      const stored: RoomEvent = { ...event, pos };
      if (prev) stored.prev_content = prev;
      return stored;
    });
  }

  event(eventId: string): RoomEvent | undefined {
    const row = this.db.get<EventRow>(
      `SELECT ${eventColumns} FROM events e WHERE e.event_id = ?`,
      eventId,
    );
    return row ? toEvent(row) : undefined;
  }

  stateEvent(roomId: string, type: string, stateKey: string): RoomEvent | undefined {
    const row = this.db.get<EventRow>(
      `SELECT ${eventColumns} FROM current_state s JOIN events e ON e.event_id = s.event_id
       WHERE s.room_id = ? AND s.type = ? AND s.state_key = ?`,
      roomId,
      type,
      stateKey,
    );
    return row ? toEvent(row) : undefined;
  }

  state(roomId: string): RoomEvent[] {
    return this.db
      .all<EventRow>(
        `SELECT ${eventColumns} FROM current_state s JOIN events e ON e.event_id = s.event_id
         WHERE s.room_id = ? ORDER BY e.pos`,
        roomId,
      )
      .map(toEvent);
  }

  /** State events of the room changed after `sincePos` (current values only). */
  stateChangedSince(roomId: string, sincePos: number): RoomEvent[] {
    return this.db
      .all<EventRow>(
        `SELECT ${eventColumns} FROM current_state s JOIN events e ON e.event_id = s.event_id
         WHERE s.room_id = ? AND s.pos > ? ORDER BY e.pos`,
        roomId,
        sincePos,
      )
      .map(toEvent);
  }

  /** Rooms in which the user currently has the given membership, with the member event position. */
  roomsWithMembership(userId: string, membership: string): { room_id: string; pos: number }[] {
    return this.db.all(
      `SELECT room_id, pos FROM current_state
       WHERE type = ? AND state_key = ? AND membership = ?`,
      RoomEventType.member,
      userId,
      membership,
    );
  }

  /** Members of a room with the given membership. */
  members(roomId: string, membership: string): string[] {
    return this.db
      .all<{ state_key: string }>(
        `SELECT state_key FROM current_state WHERE room_id = ? AND type = ? AND membership = ?`,
        roomId,
        RoomEventType.member,
        membership,
      )
      .map((r) => r.state_key);
  }

  /** Events in (afterPos, uptoPos], oldest first, at most `limit` of the newest ones. */
  eventsBetween(roomId: string, afterPos: number, uptoPos: number, limit: number): RoomEvent[] {
    return this.db
      .all<EventRow>(
        `SELECT ${eventColumns} FROM events e WHERE e.room_id = ? AND e.pos > ? AND e.pos <= ?
         ORDER BY e.pos DESC LIMIT ?`,
        roomId,
        afterPos,
        uptoPos,
        limit,
      )
      .map(toEvent)
      .reverse();
  }

  /** Events in (afterPos, uptoPos], oldest first, the oldest `limit`. */
  eventsForward(roomId: string, afterPos: number, uptoPos: number, limit: number): RoomEvent[] {
    return this.db
      .all<EventRow>(
        `SELECT ${eventColumns} FROM events e WHERE e.room_id = ? AND e.pos > ? AND e.pos <= ?
         ORDER BY e.pos ASC LIMIT ?`,
        roomId,
        afterPos,
        uptoPos,
        limit,
      )
      .map(toEvent);
  }

  /** Whether the user newly joined the room (from another membership) after `sincePos`. */
  joinedSince(roomId: string, userId: string, sincePos: number): boolean {
    const row = this.db.get(
      `SELECT 1 AS x FROM events WHERE room_id = ? AND type = ? AND state_key = ? AND pos > ?
         AND json_extract(content, '$.membership') = ?
         AND (prev_content IS NULL OR json_extract(prev_content, '$.membership') IS NOT ?)
       LIMIT 1`,
      roomId,
      RoomEventType.member,
      userId,
      sincePos,
      Membership.join,
      Membership.join,
    );
    return row !== undefined;
  }

  countBetween(roomId: string, afterPos: number, uptoPos: number): number {
    const row = this.db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM events WHERE room_id = ? AND pos > ? AND pos <= ?",
      roomId,
      afterPos,
      uptoPos,
    );
    return Number(row?.n ?? 0);
  }
}
