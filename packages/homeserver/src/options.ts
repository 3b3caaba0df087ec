import type { Logger } from "pino";
import type { Clock } from "./clock.ts";
import type { RtcTransport, TurnServerConfig } from "./context.ts";
import type { RateLimitConfig } from "./http/rateLimit.ts";

export type HomeserverOptions = {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** The part after the colon in user ids and room ids (default "localhost"). */
  serverName?: string;
  /** SQLite file, or ":memory:" (the default) for a throw-away server. */
  databasePath?: string;
  /** Whether anyone may register (default true). */
  registrationOpen?: boolean;
  /** Returned by /rtc/transports (MSC4143). */
  rtcTransports?: RtcTransport[];
  /** Returned by /voip/turnServer; `{}` when absent. */
  turnServer?: TurnServerConfig;
  /** Time source; tests pass a ManualClock. */
  clock?: Clock;
  logger?: Logger;
  /** Per-token rate limit, or false for none. */
  rateLimit?: RateLimitConfig | false;
  /** Largest request body in bytes. */
  maxBodyBytes?: number;
  /** Base URL clients should use, when it differs from the listening address. */
  publicBaseUrl?: string;
};

export type RunningHomeserver = {
  /** Base URL of the client API, e.g. http://127.0.0.1:PORT */
  url: string;
  serverName: string;
  port: number;
  close(): Promise<void>;
};

export type { RtcTransport, TurnServerConfig };
