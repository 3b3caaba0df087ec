import type { Database } from "./database.ts";

export type ToDeviceMessage = { pos: number; sender: string; type: string; content: unknown };

export type DelayedEventRecord = {
  delay_id: string;
  user_id: string;
  device_id: string;
  room_id: string;
  type: string;
  state_key?: string;
  content: Record<string, unknown>;
  delay_ms: number;
  running_since: number;
};

type DelayedRow = Omit<DelayedEventRecord, "content" | "state_key"> & {
  content: string;
  state_key: string | null;
};

function toDelayed(row: DelayedRow): DelayedEventRecord {
  const { state_key, content, ...rest } = row;
  const record: DelayedEventRecord = {
    ...rest,
    delay_ms: Number(rest.delay_ms),
    running_since: Number(rest.running_since),
    content: JSON.parse(content),
  };
  if (state_key !== null) record.state_key = state_key;
  return record;
}

/** Transactions, filters, account data, to-device messages and delayed events. */
export class QueueStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** The remembered answer of a transaction, if this device already made it. */
  transaction(userId: string, deviceId: string, kind: string, txnId: string): unknown {
    const row = this.db.get<{ result: string }>(
      "SELECT result FROM transactions WHERE user_id = ? AND device_id = ? AND kind = ? AND txn_id = ?",
      userId,
      deviceId,
      kind,
      txnId,
    );
    return row ? JSON.parse(row.result) : undefined;
  }

  rememberTransaction(
    userId: string,
    deviceId: string,
    kind: string,
    txnId: string,
    result: unknown,
  ): void {
    this.db.run(
      "INSERT OR REPLACE INTO transactions (user_id, device_id, kind, txn_id, result) VALUES (?, ?, ?, ?, ?)",
      userId,
      deviceId,
      kind,
      txnId,
      JSON.stringify(result),
    );
  }

  addFilter(userId: string, filter: unknown): string {
    const row = this.db.get<{ filter_id: number }>(
      "INSERT INTO filters (user_id, filter) VALUES (?, ?) RETURNING filter_id",
      userId,
      JSON.stringify(filter),
    );
    return String(row!.filter_id);
  }

  filter(userId: string, filterId: string): unknown {
    const row = this.db.get<{ filter: string }>(
      "SELECT filter FROM filters WHERE user_id = ? AND filter_id = ?",
      userId,
      Number(filterId),
    );
    return row ? JSON.parse(row.filter) : undefined;
  }

  setAccountData(userId: string, roomId: string, type: string, content: unknown): void {
    this.db.transaction(() => {
      const pos = this.db.nextPos();
      this.db.run(
        `INSERT INTO account_data (user_id, room_id, type, content, pos) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id, room_id, type) DO UPDATE SET content = excluded.content, pos = excluded.pos`,
        userId,
        roomId,
        type,
        JSON.stringify(content),
        pos,
      );
    });
  }

  accountData(userId: string, roomId: string, type: string): unknown {
    const row = this.db.get<{ content: string }>(
      "SELECT content FROM account_data WHERE user_id = ? AND room_id = ? AND type = ?",
      userId,
      roomId,
      type,
    );
    return row ? JSON.parse(row.content) : undefined;
  }

  /** Account data of the user changed after `sincePos`; room "" is the global account data. */
  accountDataSince(
    userId: string,
    sincePos: number,
  ): { room_id: string; type: string; content: unknown }[] {
    return this.db
      .all<{ room_id: string; type: string; content: string }>(
        "SELECT room_id, type, content FROM account_data WHERE user_id = ? AND pos > ? ORDER BY pos",
        userId,
        sincePos,
      )
      .map((r) => ({ room_id: r.room_id, type: r.type, content: JSON.parse(r.content) }));
  }

  addToDevice(
    targets: { userId: string; deviceId: string }[],
    sender: string,
    type: string,
    content: unknown,
  ): void {
    this.db.transaction(() => {
      for (const t of targets) {
        this.db.run(
          "INSERT INTO to_device (pos, user_id, device_id, sender, type, content) VALUES (?, ?, ?, ?, ?, ?)",
          this.db.nextPos(),
          t.userId,
          t.deviceId,
          sender,
          type,
          JSON.stringify(content),
        );
      }
    });
  }

  /** Deletes the messages a sync with `sincePos` acknowledges, then lists what is still pending. */
  takeToDevice(
    userId: string,
    deviceId: string,
    ackPos: number,
    uptoPos: number,
    limit: number,
  ): ToDeviceMessage[] {
    this.db.run(
      "DELETE FROM to_device WHERE user_id = ? AND device_id = ? AND pos <= ?",
      userId,
      deviceId,
      ackPos,
    );
    return this.db
      .all<{ pos: number; sender: string; type: string; content: string }>(
        `SELECT pos, sender, type, content FROM to_device
         WHERE user_id = ? AND device_id = ? AND pos <= ? ORDER BY pos LIMIT ?`,
        userId,
        deviceId,
        uptoPos,
        limit,
      )
      .map((r) => ({
        pos: Number(r.pos),
        sender: r.sender,
        type: r.type,
        content: JSON.parse(r.content),
      }));
  }

  addDelayed(record: DelayedEventRecord): void {
    this.db.run(
      `INSERT INTO delayed_events (delay_id, user_id, device_id, room_id, type, state_key, content,
         delay_ms, running_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      record.delay_id,
      record.user_id,
      record.device_id,
      record.room_id,
      record.type,
      record.state_key ?? null,
      JSON.stringify(record.content),
      record.delay_ms,
      record.running_since,
    );
  }

  delayed(delayId: string): DelayedEventRecord | undefined {
    const row = this.db.get<DelayedRow>("SELECT * FROM delayed_events WHERE delay_id = ?", delayId);
    return row ? toDelayed(row) : undefined;
  }

  allDelayed(): DelayedEventRecord[] {
    return this.db.all<DelayedRow>("SELECT * FROM delayed_events").map(toDelayed);
  }

  delayedOfUser(userId: string): DelayedEventRecord[] {
    return this.db
      .all<DelayedRow>(
        "SELECT * FROM delayed_events WHERE user_id = ? ORDER BY running_since",
        userId,
      )
      .map(toDelayed);
  }

  /** Delayed state events for one state key whose owner is not `exceptUserId`. */
  delayedForState(
    roomId: string,
    type: string,
    stateKey: string,
    exceptUserId: string,
  ): DelayedEventRecord[] {
    return this.db
      .all<DelayedRow>(
        `SELECT * FROM delayed_events WHERE room_id = ? AND type = ? AND state_key = ? AND user_id != ?`,
        roomId,
        type,
        stateKey,
        exceptUserId,
      )
      .map(toDelayed);
  }

  restartDelayed(delayId: string, runningSince: number): void {
    this.db.run(
      "UPDATE delayed_events SET running_since = ? WHERE delay_id = ?",
      runningSince,
      delayId,
    );
  }

  removeDelayed(delayId: string): void {
    this.db.run("DELETE FROM delayed_events WHERE delay_id = ?", delayId);
  }

  addFinalised(delayId: string, userId: string, info: unknown, finalisedTs: number): void {
    this.db.run(
      "INSERT OR REPLACE INTO finalised_delayed_events (delay_id, user_id, info, finalised_ts) VALUES (?, ?, ?, ?)",
      delayId,
      userId,
      JSON.stringify(info),
      finalisedTs,
    );
  }

  finalisedOfUser(userId: string): unknown[] {
    return this.db
      .all<{ info: string }>(
        "SELECT info FROM finalised_delayed_events WHERE user_id = ? ORDER BY finalised_ts DESC LIMIT 100",
        userId,
      )
      .map((r) => JSON.parse(r.info));
  }
}
