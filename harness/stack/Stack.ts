// The local stack: the embedded homeserver, one or more foci (child processes) and the demo
// web app. Used by `npm start` (fixed ports, persistent data) and by the browser tests (free
// ports, throw-away data). A focus that cannot start is reported in `missing` instead of
// failing the whole stack, so that the rest can still be used and tested.
import { join } from "node:path";
import { startHomeserver } from "@matrix-focus/homeserver";
import { Values } from "@matrix-focus/protocol";
import { focusIdentity, stackDefaults } from "./defaults.ts";
import { ensureDemoBundle } from "./demoBundle.ts";
import { startDemoServer } from "./demoServer.ts";
import { FocusProcess } from "./focusProcess.ts";

export interface StackOptions {
  host?: string;
  /** 0 = a free port. */
  homeserverPort?: number;
  /** 0 = a free port. */
  demoPort?: number;
  serverName?: string;
  /** SQLite file of the homeserver, or ":memory:". */
  databasePath: string;
  /** Directory where each focus keeps its config and state (one subdirectory per focus). */
  fociDataDir: string;
  /** How many foci to start (0 = none). */
  foci?: number;
  /** Log level of every focus (default stackDefaults.focusLogLevel). */
  focusLogLevel?: string;
  /** Rebuild the demo even if its bundle looks fresh. */
  rebuildDemo?: boolean;
  /** Progress lines of the stack itself. */
  log?: (line: string) => void;
  /** Output lines of focus number `index`. */
  onFocusOutput?: (index: number, line: string) => void;
}

export interface Stack {
  homeserverUrl: string;
  serverName: string;
  demoUrl: string;
  foci: FocusProcess[];
  /** Parts that could not be started, with the reason. */
  missing: string[];
  close(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const host = options.host ?? stackDefaults.host;
  const serverName = options.serverName ?? stackDefaults.serverName;
  const log = options.log ?? (() => {});
  const focusCount = Math.min(options.foci ?? stackDefaults.foci, stackDefaults.maxFoci);
  const missing: string[] = [];
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) {
      try {
        await c();
      } catch (e) {
        log(`while stopping: ${(e as Error).message}`);
      }
    }
  };

  try {
    const identities = Array.from({ length: focusCount }, (_, i) => focusIdentity(i));
    const rtcTransports = identities.map((id) => ({
      type: Values.focusTypeMsc3898,
      user_id: `@${id.username}:${serverName}`,
      device_id: id.deviceId,
    }));

    const hs = await startHomeserver({
      host,
      port: options.homeserverPort ?? 0,
      serverName,
      databasePath: options.databasePath,
      registrationOpen: true,
      rtcTransports,
    });
    closers.push(() => hs.close());
    const homeserverUrl = hs.url.replace(/\/$/, "");
    log(`homeserver running at ${homeserverUrl} (server name ${hs.serverName})`);

    const foci: FocusProcess[] = [];
    if (focusCount > 0 && !FocusProcess.available()) {
      missing.push(
        "foci: the focus command line (packages/focus/src/main.ts) is not in this checkout",
      );
    } else {
      for (const [index, id] of identities.entries()) {
        const focus = new FocusProcess({
          homeserverUrl,
          serverName,
          username: id.username,
          deviceId: id.deviceId,
          password: stackDefaults.focusPassword,
          dataDir: join(options.fociDataDir, id.username),
          host,
          logLevel: options.focusLogLevel ?? stackDefaults.focusLogLevel,
          onOutput: (line) => options.onFocusOutput?.(index, line),
        });
        closers.push(() => focus.stop());
        foci.push(focus);
      }
      // Started side by side: each one logs in and syncs on its own.
      await Promise.all(
        foci.map(async (focus) => {
          try {
            await focus.start();
            log(`focus ${focus.userId} (device ${focus.deviceId}) running, pid ${focus.pid}`);
          } catch (e) {
            missing.push(`focus ${focus.userId}: ${(e as Error).message}`);
          }
        }),
      );
    }

    let demoUrl = "";
    try {
      const root = await ensureDemoBundle({ force: options.rebuildDemo ?? false, log });
      const demo = await startDemoServer({
        root,
        host,
        port: options.demoPort ?? 0,
        config: { homeserverUrl, serverName, foci: rtcTransports },
      });
      closers.push(() => demo.close());
      demoUrl = demo.url;
      log(`demo web app served at ${demo.url}`);
    } catch (e) {
      missing.push(`demo web app: ${(e as Error).message.split("\n").slice(0, 3).join(" ")}`);
    }

    return { homeserverUrl, serverName, demoUrl, foci, missing, close };
  } catch (e) {
    await close();
    throw e;
  }
}
