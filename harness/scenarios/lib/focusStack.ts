// The embedded homeserver and in-process foci as the Matrix scenario tests start them.
import {
  Focus,
  type FocusConfigInput,
  type FocusOptions,
  validateConfig,
} from "@matrix-focus/focus";
import { type RunningHomeserver, startHomeserver } from "@matrix-focus/homeserver";
import { pino } from "pino";

/** The foci's log level: FOCUS_TEST_LOG_LEVEL, else silent. */
export const focusLogLevel = (process.env.FOCUS_TEST_LOG_LEVEL ?? "silent") as "silent";

/** A homeserver on a free port with its database in memory, logging nothing. */
export function startTestHomeserver(): Promise<RunningHomeserver> {
  return startHomeserver({
    port: 0,
    databasePath: ":memory:",
    logger: pino({ level: "silent" }),
  });
}

/** One small simulcast layer at 10 fps: bots that keep the machine's load low. */
export const leanBotMedia = {
  layers: [{ rid: "q", width: 320, height: 180, frameBytes: 800 }],
  fps: 10,
};

/**
 * A focus that registers `username` on the homeserver at `homeserverUrl`, without metrics
 * unless `config` (more settings, applied last) asks for them.
 */
export function startTestFocus(o: {
  homeserverUrl: string;
  username: string;
  deviceId: string;
  dataDir: string;
  cascade?: FocusOptions["cascade"];
  config?: Partial<FocusConfigInput>;
}): Promise<Focus> {
  return Focus.start({
    config: validateConfig({
      homeserverUrl: o.homeserverUrl,
      username: o.username,
      password: "focus-pw",
      register: true,
      deviceId: o.deviceId,
      dataDir: o.dataDir,
      metrics: { enabled: false },
      sync: { timeoutMs: 1000 },
      logLevel: focusLogLevel,
      ...o.config,
    }),
    ...(o.cascade ? { cascade: o.cascade } : {}),
  });
}
