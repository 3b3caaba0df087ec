import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('stream', 0);
CREATE TABLE IF NOT EXISTS users (
  user_id TEXT PRIMARY KEY, password_hash TEXT, displayname TEXT, created_ts INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS devices (
  user_id TEXT NOT NULL, device_id TEXT NOT NULL, display_name TEXT,
  PRIMARY KEY (user_id, device_id));
CREATE TABLE IF NOT EXISTS tokens (
  token TEXT PRIMARY KEY, user_id TEXT NOT NULL, device_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rooms (
  room_id TEXT PRIMARY KEY, room_version TEXT NOT NULL, creator TEXT NOT NULL,
  visibility TEXT NOT NULL, created_ts INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS aliases (alias TEXT PRIMARY KEY, room_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  pos INTEGER PRIMARY KEY, event_id TEXT UNIQUE NOT NULL, room_id TEXT NOT NULL,
  type TEXT NOT NULL, state_key TEXT, sender TEXT NOT NULL, content TEXT NOT NULL,
  prev_content TEXT, origin_server_ts INTEGER NOT NULL, txn_id TEXT, txn_device TEXT);
CREATE INDEX IF NOT EXISTS events_room_pos ON events (room_id, pos);
CREATE TABLE IF NOT EXISTS current_state (
  room_id TEXT NOT NULL, type TEXT NOT NULL, state_key TEXT NOT NULL, event_id TEXT NOT NULL,
  pos INTEGER NOT NULL, membership TEXT, PRIMARY KEY (room_id, type, state_key));
CREATE TABLE IF NOT EXISTS transactions (
  user_id TEXT NOT NULL, device_id TEXT NOT NULL, kind TEXT NOT NULL, txn_id TEXT NOT NULL,
  result TEXT NOT NULL, PRIMARY KEY (user_id, device_id, kind, txn_id));
CREATE TABLE IF NOT EXISTS filters (
  filter_id INTEGER PRIMARY KEY, user_id TEXT NOT NULL, filter TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS to_device (
  pos INTEGER PRIMARY KEY, user_id TEXT NOT NULL, device_id TEXT NOT NULL, sender TEXT NOT NULL,
  type TEXT NOT NULL, content TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS to_device_target ON to_device (user_id, device_id, pos);
CREATE TABLE IF NOT EXISTS account_data (
  user_id TEXT NOT NULL, room_id TEXT NOT NULL, type TEXT NOT NULL, content TEXT NOT NULL,
  pos INTEGER NOT NULL, PRIMARY KEY (user_id, room_id, type));
CREATE TABLE IF NOT EXISTS delayed_events (
  delay_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, device_id TEXT NOT NULL,
  room_id TEXT NOT NULL, type TEXT NOT NULL, state_key TEXT, content TEXT NOT NULL,
  delay_ms INTEGER NOT NULL, running_since INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS finalised_delayed_events (
  delay_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, info TEXT NOT NULL, finalised_ts INTEGER NOT NULL);
`;

export type Row = Record<string, unknown>;

/** Thin wrapper over node:sqlite with cached statements and the shared stream counter. */
export class Database {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, ReturnType<DatabaseSync["prepare"]>>();

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    this.db.exec(schema);
  }

  private statement(sql: string) {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  run(sql: string, ...params: SQLInputValue[]): void {
    this.statement(sql).run(...params);
  }

  get<T = Row>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  all<T = Row>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  /** Runs `work` in one transaction. */
  transaction<T>(work: () => T): T {
    if (this.db.isTransaction) return work();
    this.db.exec("BEGIN");
    try {
      const result = work();
      this.db.exec("COMMIT");
      return result;
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw e;
    }
  }

  /** Takes the next position of the one stream shared by events, to-device and account data. */
  nextPos(): number {
    const row = this.get<{ value: number }>(
      "UPDATE meta SET value = value + 1 WHERE key = 'stream' RETURNING value",
    );
    return Number(row!.value);
  }

  currentPos(): number {
    return Number(
      this.get<{ value: number }>("SELECT value FROM meta WHERE key = 'stream'")!.value,
    );
  }

  close(): void {
    this.statements.clear();
    if (this.db.isOpen) this.db.close();
  }
}
