import type { Database } from "./database.ts";

export type Session = { userId: string; deviceId: string; token: string };

/** Users, devices and access tokens. */
export class AccountStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  userExists(userId: string): boolean {
    return this.db.get("SELECT 1 AS x FROM users WHERE user_id = ?", userId) !== undefined;
  }

  createUser(userId: string, passwordHash: string | null, createdTs: number): void {
    this.db.run(
      "INSERT INTO users (user_id, password_hash, displayname, created_ts) VALUES (?, ?, ?, ?)",
      userId,
      passwordHash,
      null,
      createdTs,
    );
  }

  passwordHash(userId: string): string | undefined {
    const row = this.db.get<{ password_hash: string | null }>(
      "SELECT password_hash FROM users WHERE user_id = ?",
      userId,
    );
    return row?.password_hash ?? undefined;
  }

  displayName(userId: string): string | undefined {
    const row = this.db.get<{ displayname: string | null }>(
      "SELECT displayname FROM users WHERE user_id = ?",
      userId,
    );
    return row?.displayname ?? undefined;
  }

  setDisplayName(userId: string, name: string | null): void {
    this.db.run("UPDATE users SET displayname = ? WHERE user_id = ?", name, userId);
  }

  upsertDevice(userId: string, deviceId: string, displayName: string | null): void {
    this.db.run(
      `INSERT INTO devices (user_id, device_id, display_name) VALUES (?, ?, ?)
       ON CONFLICT (user_id, device_id) DO UPDATE SET display_name = COALESCE(excluded.display_name, display_name)`,
      userId,
      deviceId,
      displayName,
    );
  }

  deviceIds(userId: string): string[] {
    return this.db
      .all<{ device_id: string }>("SELECT device_id FROM devices WHERE user_id = ?", userId)
      .map((r) => r.device_id);
  }

  devices(userId: string): { device_id: string; display_name: string | null }[] {
    return this.db.all("SELECT device_id, display_name FROM devices WHERE user_id = ?", userId);
  }

  /** Removes a device with its tokens and undelivered to-device messages. */
  deleteDevice(userId: string, deviceId: string): void {
    this.db.transaction(() => {
      this.db.run("DELETE FROM tokens WHERE user_id = ? AND device_id = ?", userId, deviceId);
      this.db.run("DELETE FROM devices WHERE user_id = ? AND device_id = ?", userId, deviceId);
      this.db.run("DELETE FROM to_device WHERE user_id = ? AND device_id = ?", userId, deviceId);
    });
  }

  addToken(token: string, userId: string, deviceId: string): void {
    this.db.run(
      "INSERT INTO tokens (token, user_id, device_id) VALUES (?, ?, ?)",
      token,
      userId,
      deviceId,
    );
  }

  session(token: string): Session | undefined {
    const row = this.db.get<{ user_id: string; device_id: string }>(
      "SELECT user_id, device_id FROM tokens WHERE token = ?",
      token,
    );
    return row ? { userId: row.user_id, deviceId: row.device_id, token } : undefined;
  }
}
