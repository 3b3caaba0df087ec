// The focus's connection to its homeserver: logs in, loads the state of its rooms, runs the
// sync loop, keeps the room state tracker current, joins rooms it is invited to (when the
// config allows), and hands each sync's to-device messages on.
import { isName, StateEventNames } from "@matrix-focus/protocol";
import type { Logger } from "pino";
import { isAllowedServer } from "../auth/authorise.ts";
import type { DeviceRef } from "../conference/inputs.ts";
import { configDefaults } from "../config/defaults.ts";
import type { Clock } from "../util/Clock.ts";
import { type BackoffOptions, backoffDelay } from "./backoff.ts";
import { FileStore } from "./FileStore.ts";
import { type LoginOptions, logIn } from "./login.ts";
import { MatrixHttp, MatrixRequestError, seg } from "./MatrixHttp.ts";
import { RoomJoiner } from "./RoomJoiner.ts";
import type { RoomStateTracker } from "./RoomStateTracker.ts";
import { SyncLoop } from "./SyncLoop.ts";
import type { MatrixEvent, SyncResponse, ToDeviceEvent } from "./syncTypes.ts";

export interface MatrixConnectionOptions {
  login: LoginOptions;
  dataDir: string;
  rooms: RoomStateTracker;
  autoJoin: boolean;
  /** Join a room named by an incoming invite's room_id (public rooms). */
  joinOnCall: boolean;
  allowedHomeservers: readonly string[];
  syncTimeoutMs: number;
  backoff: BackoffOptions;
  clock: Clock;
  logger: Logger;
  /** The to-device messages of one sync; `backlog` is true for the first sync after start. */
  onToDevice: (events: ToDeviceEvent[], backlog: boolean) => void;
  /** Called after each sync was applied (room state may have changed). */
  onSynced?: () => void;
  onSyncError?: (err: unknown) => void;
  onFatal?: (err: unknown) => void;
  random?: () => number;
}

export class MatrixConnection {
  readonly http: MatrixHttp;
  readonly #o: MatrixConnectionOptions;
  readonly #store: FileStore;
  readonly #log: Logger;
  #me: DeviceRef | undefined;
  #loop: SyncLoop | undefined;
  readonly #joiner: RoomJoiner | undefined;
  readonly #stopped = new AbortController();

  constructor(o: MatrixConnectionOptions) {
    this.#o = o;
    this.http = new MatrixHttp(o.login.homeserverUrl);
    this.#store = new FileStore(o.dataDir);
    this.#log = o.logger;
    if (o.joinOnCall) {
      this.#joiner = new RoomJoiner({
        http: this.http,
        rooms: o.rooms,
        allowedHomeservers: o.allowedHomeservers,
        clock: o.clock,
        logger: o.logger,
        retryAfterMs: configDefaults.joinOnCallRetryMs,
      });
    }
  }

  /** Who the focus is; available after start(). */
  get me(): DeviceRef {
    if (this.#me === undefined) throw new Error("the connection has not started");
    return this.#me;
  }

  get syncing(): boolean {
    return this.#loop?.syncing ?? false;
  }

  /**
   * Logs in (or reuses a stored login); returns who the focus is. While the homeserver is
   * unreachable or failing (5xx), retries with back-off; a refusal (4xx) is final.
   */
  async logIn(): Promise<DeviceRef> {
    let login: Awaited<ReturnType<typeof logIn>> | undefined;
    for (let attempt = 0; login === undefined; attempt++) {
      try {
        login = await logIn(this.http, this.#store, this.#o.login, this.#log);
      } catch (err) {
        const final = err instanceof MatrixRequestError && err.status < 500;
        if (final || this.#stopped.signal.aborted) throw err;
        const delay = backoffDelay(attempt, this.#o.backoff, this.#o.random);
        this.#log.warn({ err: String(err), retryInMs: delay }, "homeserver unreachable; retrying");
        await abortableSleep(this.#o.clock, delay, this.#stopped.signal);
      }
    }
    this.#me = { userId: login.userId, deviceId: login.deviceId };
    return this.#me;
  }

  /** Loads room state when resuming from a stored token, then starts the sync loop. */
  async startSyncing(): Promise<void> {
    const me = this.me;
    const who = { homeserverUrl: this.#o.login.homeserverUrl, ...me };
    const since = await this.#store.readSyncToken(who);
    if (since !== undefined) await this.#loadRooms();
    this.#log.info({ resuming: since !== undefined }, "starting sync");
    const loop = new SyncLoop({
      http: this.http,
      clock: this.#o.clock,
      logger: this.#log,
      timeoutMs: this.#o.syncTimeoutMs,
      backoff: this.#o.backoff,
      since,
      onSync: async (res, first) => this.#applySync(res, first),
      saveToken: (nextBatch) => this.#store.writeSyncToken({ ...who, nextBatch }),
      ...(this.#o.onSyncError ? { onError: this.#o.onSyncError } : {}),
      ...(this.#o.onFatal ? { onFatal: this.#o.onFatal } : {}),
      ...(this.#o.random ? { random: this.#o.random } : {}),
    });
    this.#loop = loop;
    loop.start();
  }

  /** Stops syncing. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped.abort();
    await this.#loop?.stop();
  }

  /** A sync resumed from a stored token holds only changes: load every joined room's state. */
  async #loadRooms(): Promise<void> {
    const { joined_rooms } = await this.http.request<{ joined_rooms: string[] }>(
      "GET",
      "/_matrix/client/v3/joined_rooms",
    );
    for (const roomId of joined_rooms) {
      const events = await this.http.request<MatrixEvent[]>(
        "GET",
        `/_matrix/client/v3/rooms/${seg(roomId)}/state`,
      );
      this.#o.rooms.replaceRoom(roomId, events);
    }
    this.#log.info({ rooms: joined_rooms.length }, "loaded room state");
  }

  async #applySync(res: SyncResponse, first: boolean): Promise<void> {
    for (const [roomId, room] of Object.entries(res.rooms?.join ?? {})) {
      for (const ev of room.state?.events ?? []) this.#o.rooms.applyStateEvent(roomId, ev);
      for (const ev of room.timeline?.events ?? []) this.#o.rooms.applyStateEvent(roomId, ev);
    }
    for (const roomId of Object.keys(res.rooms?.leave ?? {})) {
      this.#o.rooms.forgetRoom(roomId);
      this.#log.info({ roomId }, "left room");
    }
    for (const [roomId, room] of Object.entries(res.rooms?.invite ?? {})) {
      await this.#maybeJoin(roomId, room.invite_state?.events ?? []);
    }
    const toDevice = res.to_device?.events ?? [];
    if (toDevice.length > 0) {
      await this.#joiner?.joinRoomsNamedBy(toDevice);
      this.#o.onToDevice(toDevice, first);
    }
    this.#o.onSynced?.();
  }

  async #maybeJoin(roomId: string, inviteState: MatrixEvent[]): Promise<void> {
    const invite = inviteState.find(
      (ev) => isName(StateEventNames.member, ev.type) && ev.state_key === this.#me?.userId,
    );
    const inviter = invite?.sender ?? "";
    if (!this.#o.autoJoin) {
      this.#log.info({ roomId, inviter }, "invited; not joining (autoJoin is off)");
      return;
    }
    if (!isAllowedServer(inviter, this.#o.allowedHomeservers)) {
      this.#log.warn({ roomId, inviter }, "invited by a user of a homeserver that is not allowed");
      return;
    }
    try {
      await this.http.request("POST", `/_matrix/client/v3/join/${seg(roomId)}`, { body: {} });
      this.#log.info({ roomId, inviter }, "joined room");
    } catch (err) {
      this.#log.warn({ roomId, err: String(err) }, "could not join room");
    }
  }
}

function abortableSleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clock.clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = clock.setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
