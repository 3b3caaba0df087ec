import type { Logger } from "pino";
import type { Clock } from "./clock.ts";
import type { RateLimitConfig } from "./http/rateLimit.ts";
import type { AccountStore } from "./storage/accounts.ts";
import type { Database } from "./storage/database.ts";
import type { QueueStore } from "./storage/queues.ts";
import type { RoomStore } from "./storage/rooms.ts";
import type { Notifier } from "./sync/Notifier.ts";

/** A transport offered on /rtc/transports (MSC4143): any object with a string `type`. */
export type RtcTransport = { type: string; [key: string]: unknown };

/** Answer of /voip/turnServer. */
export type TurnServerConfig = { uris: string[]; username: string; password: string; ttl: number };

export type ServerConfig = {
  serverName: string;
  registrationOpen: boolean;
  rtcTransports: RtcTransport[];
  turnServer: TurnServerConfig | undefined;
  rateLimit: RateLimitConfig | false;
  maxBodyBytes: number;
  roomVersion: string;
  /** Base URL clients reach the server at; known once it listens. */
  baseUrl: string;
};

/** Everything a handler needs. */
export type Context = {
  config: ServerConfig;
  clock: Clock;
  logger: Logger;
  db: Database;
  accounts: AccountStore;
  rooms: RoomStore;
  queues: QueueStore;
  notifier: Notifier;
};
