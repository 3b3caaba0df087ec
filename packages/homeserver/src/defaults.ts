import { RoomEventType } from "./names.ts";

/** Every default of the embedded homeserver, in one place. */
export const homeserverDefaults = {
  host: "127.0.0.1",
  /** Port for the API; 0 picks a free port. */
  port: 0,
  /** Port used by the command line entry when none is given. */
  cliPort: 8008,
  /** Data directory used by the command line entry when none is given. */
  cliDataDir: ".data/homeserver",
  cliDatabaseFile: "homeserver.sqlite",
  serverName: "localhost",
  databasePath: ":memory:",
  registrationOpen: true,
  /** Room version given to new rooms. */
  roomVersion: "10",
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: 1024 * 1024,
  /** Per access token: steady request rate and burst size. */
  rateLimit: { requestsPerSecond: 200, burst: 2000 },
  /** Longest `timeout` honoured on /sync, in milliseconds. */
  maxSyncTimeoutMs: 60_000,
  /** Timeline events per room in an initial sync when no filter says otherwise. */
  syncTimelineLimit: 20,
  /** Most to-device messages handed out in one sync response. */
  toDeviceLimit: 100,
  /** Default and largest page for /messages. */
  messagesLimit: 10,
  messagesMaxLimit: 1000,
  /** Largest delay accepted for a delayed event (MSC4140), in milliseconds. */
  maxDelayedEventDelayMs: 24 * 60 * 60 * 1000,
  /** Log level of the logger made when none is passed in. */
  logLevel: "warn",
  /** Log level of the command line entry. */
  cliLogLevel: "info",
  /** scrypt key length for password hashes. */
  passwordKeyLength: 32,
} as const;

/** Client-Server API versions advertised on /versions. */
export const advertisedVersions = [
  "r0.6.1",
  "v1.1",
  "v1.2",
  "v1.3",
  "v1.4",
  "v1.5",
  "v1.6",
  "v1.7",
  "v1.8",
  "v1.9",
  "v1.10",
  "v1.11",
] as const;

/** Room versions listed on /capabilities. */
export const availableRoomVersions = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"];

/** Power levels of a new room (as Synapse sets them); the creator gets 100 on top. */
export const roomPowerLevelDefaults = {
  users_default: 0,
  events: {
    [RoomEventType.name]: 50,
    [RoomEventType.powerLevels]: 100,
    [RoomEventType.historyVisibility]: 100,
    [RoomEventType.canonicalAlias]: 50,
    [RoomEventType.avatar]: 50,
    [RoomEventType.tombstone]: 100,
    [RoomEventType.serverAcl]: 100,
    [RoomEventType.encryption]: 100,
  },
  events_default: 0,
  state_default: 50,
  ban: 50,
  kick: 50,
  redact: 50,
  invite: 0,
  historical: 100,
  notifications: { room: 50 },
};
