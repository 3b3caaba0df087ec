// Small JSON files in the focus's data dir: the login (so a restart keeps its device) and the
// sync token (so a restart does not replay old to-device messages). Writes are atomic
// (write a temporary file, then rename), so a crash never leaves half a file.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface StoredLogin {
  homeserverUrl: string;
  userId: string;
  deviceId: string;
  accessToken: string;
}

export interface StoredSyncToken {
  homeserverUrl: string;
  userId: string;
  deviceId: string;
  nextBatch: string;
}

export class FileStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async readLogin(): Promise<StoredLogin | undefined> {
    return this.#read<StoredLogin>("login.json");
  }

  async writeLogin(login: StoredLogin): Promise<void> {
    await this.#write("login.json", login);
  }

  /** The sync token, if it was written for this homeserver, user and device. */
  async readSyncToken(who: Omit<StoredSyncToken, "nextBatch">): Promise<string | undefined> {
    const t = await this.#read<StoredSyncToken>("sync-token.json");
    if (t === undefined) return undefined;
    const same =
      t.homeserverUrl === who.homeserverUrl &&
      t.userId === who.userId &&
      t.deviceId === who.deviceId;
    return same && typeof t.nextBatch === "string" ? t.nextBatch : undefined;
  }

  async writeSyncToken(token: StoredSyncToken): Promise<void> {
    await this.#write("sync-token.json", token);
  }

  async #read<T>(name: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(join(this.dir, name), "utf8")) as T;
    } catch {
      return undefined; // missing or unreadable: start fresh
    }
  }

  async #write(name: string, value: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = join(this.dir, `.${name}.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify(value), { mode: 0o600 });
    await rename(tmp, join(this.dir, name));
  }
}
