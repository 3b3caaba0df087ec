import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { registerAuthRoutes } from "./auth/handlers.ts";
import { systemClock } from "./clock.ts";
import type { Context } from "./context.ts";
import { homeserverDefaults } from "./defaults.ts";
import { DelayedEvents } from "./delayed/DelayedEvents.ts";
import { registerDelayedEventRoutes } from "./delayed/handlers.ts";
import { handleRequest } from "./http/handle.ts";
import { RateLimiter } from "./http/rateLimit.ts";
import { Router } from "./http/router.ts";
import { registerMiscRoutes } from "./misc/handlers.ts";
import { registerToDeviceRoutes } from "./misc/toDevice.ts";
import { Membership } from "./names.ts";
import type { HomeserverOptions, RunningHomeserver } from "./options.ts";
import { registerRoomRoutes } from "./rooms/handlers.ts";
import { RoomService } from "./rooms/RoomService.ts";
import { AccountStore } from "./storage/accounts.ts";
import { Database } from "./storage/database.ts";
import { QueueStore } from "./storage/queues.ts";
import { RoomStore } from "./storage/rooms.ts";
import { Notifier } from "./sync/Notifier.ts";
import { registerSyncRoutes } from "./sync/sync.ts";

/** Starts the embedded homeserver and resolves once it listens. */
export async function startHomeserver(options: HomeserverOptions = {}): Promise<RunningHomeserver> {
  const clock = options.clock ?? systemClock;
  const logger =
    options.logger ??
    pino({ name: "homeserver", level: process.env.LOG_LEVEL ?? homeserverDefaults.logLevel });
  const db = new Database(options.databasePath ?? homeserverDefaults.databasePath);
  const ctx: Context = {
    config: {
      serverName: options.serverName ?? homeserverDefaults.serverName,
      registrationOpen: options.registrationOpen ?? homeserverDefaults.registrationOpen,
      rtcTransports: options.rtcTransports ?? [],
      turnServer: options.turnServer,
      rateLimit: options.rateLimit ?? homeserverDefaults.rateLimit,
      maxBodyBytes: options.maxBodyBytes ?? homeserverDefaults.maxBodyBytes,
      roomVersion: homeserverDefaults.roomVersion,
      baseUrl: "",
    },
    clock,
    logger,
    db,
    accounts: new AccountStore(db),
    rooms: new RoomStore(db),
    queues: new QueueStore(db),
    notifier: new Notifier(clock),
  };
  const rooms = new RoomService(ctx);
  const delayed = new DelayedEvents(ctx, rooms);
  const router = new Router();
  registerMiscRoutes(router, ctx);
  registerAuthRoutes(router, ctx, (userId) => {
    for (const { room_id } of ctx.rooms.roomsWithMembership(userId, Membership.join)) {
      rooms.setMembership({ userId }, room_id, userId, Membership.join, {
        displayname: ctx.accounts.displayName(userId),
      });
    }
  });
  registerRoomRoutes(router, ctx, rooms, delayed);
  registerSyncRoutes(router, ctx);
  registerToDeviceRoutes(router, ctx);
  registerDelayedEventRoutes(router, delayed);
  delayed.start();

  const limiter = ctx.config.rateLimit ? new RateLimiter(ctx.config.rateLimit, clock) : undefined;
  const shutdown = new AbortController();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void handleRequest(ctx, router, limiter, shutdown.signal, req, res);
  });
  server.on("clientError", (err, socket) => {
    logger.debug({ err: err.message }, "bad HTTP request");
    socket.destroy();
  });
  const host = options.host ?? homeserverDefaults.host;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? homeserverDefaults.port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    delayed.stop();
    db.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const url = options.publicBaseUrl ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  ctx.config.baseUrl = url;
  logger.info({ url, serverName: ctx.config.serverName }, "homeserver listening");

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    serverName: ctx.config.serverName,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        delayed.stop();
        shutdown.abort();
        server.close(() => {
          db.close();
          resolve();
        });
        server.closeIdleConnections();
        setImmediate(() => server.closeAllConnections());
      });
      return closed;
    },
  };
}
