// The focus: composes the Matrix connection, the call event inbox, the conference layer and
// the operator endpoint. It decides nothing itself. The conference layer runs in `workers`
// worker threads (ConferenceWorkers; "auto" = one per core), or on this thread when that is 1
// or a Clock is injected (a clock cannot cross threads). Close order: stop syncing (no new input),
// close the conference layer (hangs up every call with focus_shutdown), stop the HTTP server.
import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { HangupReason } from "@matrix-focus/protocol";
import { RateLimiter } from "./auth/RateLimiter.ts";
import { type CascadeOptions, cascadeDefaults } from "./cascade/defaults.ts";
import { fociInUseByConference, LinkCoordinator } from "./cascade/LinkCoordinator.ts";
import { registerLinkMetrics } from "./cascade/linkMetrics.ts";
import {
  ConferenceManager,
  type ConferenceManagerOptions,
} from "./conference/ConferenceManager.ts";
import type { DeviceRef } from "./conference/inputs.ts";
import { configDefaults } from "./config/defaults.ts";
import type { FocusConfig } from "./config/FocusConfig.ts";
import { CallEventInbox } from "./matrix/CallEventInbox.ts";
import { CallRegistry } from "./matrix/CallRegistry.ts";
import { MatrixConnection } from "./matrix/MatrixConnection.ts";
import { MatrixSignalling } from "./matrix/MatrixSignalling.ts";
import { MembershipWatcher } from "./matrix/MembershipWatcher.ts";
import { RoomStateTracker } from "./matrix/RoomStateTracker.ts";
import { nativeStatus } from "./media/webrtc/nativeSrtp.ts";
import { type RunningDebugServer, startDebugServer } from "./observability/debugServer.ts";
import { type RunningHttpServer, startHttpServer } from "./observability/httpServer.ts";
import { areaLogger, createLogger, type Logger } from "./observability/logger.ts";
import { FocusMetrics } from "./observability/metrics.ts";
import { type Clock, systemClock, type TimerHandle } from "./util/Clock.ts";
import type { ConferenceLayer } from "./workers/ConferenceLayer.ts";
import { ConferenceWorkers } from "./workers/ConferenceWorkers.ts";

export interface FocusOptions {
  config: FocusConfig;
  /** Injected time (tests): the conference layer then runs on this thread, whatever `workers`. */
  clock?: Clock;
  /** Root logger; one is made from config.logLevel when absent. */
  logger?: Logger;
  /** Called once if the focus stops by itself (its access token was revoked). */
  onFatal?: (err: unknown) => void;
  /** Cascading options (defaults in cascade/defaults.ts). */
  cascade?: Partial<CascadeOptions>;
}

export class Focus {
  readonly config: FocusConfig;
  readonly metrics = new FocusMetrics();
  readonly #clock: Clock;
  readonly #clockInjected: boolean;
  readonly #log: Logger;
  readonly #connection: MatrixConnection;
  readonly #rooms: RoomStateTracker;
  #manager: ConferenceLayer | undefined;
  #inbox: CallEventInbox | undefined;
  #watcher: MembershipWatcher | undefined;
  #links: LinkCoordinator | undefined;
  #linkTimer: TimerHandle | undefined;
  readonly #cascade: CascadeOptions;
  #http: RunningHttpServer | undefined;
  #debug: RunningDebugServer | undefined;
  #timer: TimerHandle | undefined;
  #closed: Promise<void> | undefined;
  #onFatal: ((err: unknown) => void) | undefined;

  private constructor(o: FocusOptions) {
    this.config = o.config;
    this.#clock = o.clock ?? systemClock;
    this.#clockInjected = o.clock !== undefined;
    this.#log = o.logger ?? createLogger({ level: o.config.logLevel });
    this.#onFatal = o.onFatal;
    this.#cascade = { ...cascadeDefaults, ...o.cascade };
    this.#rooms = new RoomStateTracker(areaLogger(this.#log, "rooms"));
    const c = o.config;
    this.#connection = new MatrixConnection({
      login: {
        homeserverUrl: c.homeserverUrl,
        userId: c.userId,
        username: c.username,
        password: c.password,
        accessToken: c.accessToken,
        deviceId: c.deviceId,
        defaultDeviceId: configDefaults.deviceId,
        register: c.register,
      },
      dataDir: c.dataDir,
      rooms: this.#rooms,
      autoJoin: c.autoJoin,
      joinOnCall: c.joinOnCall,
      allowedHomeservers: c.allowedHomeservers,
      syncTimeoutMs: c.sync.timeoutMs,
      backoff: {
        initialMs: c.sync.backoffInitialMs,
        maxMs: c.sync.backoffMaxMs,
        factor: c.sync.backoffFactor,
        jitter: c.sync.backoffJitter,
      },
      clock: this.#clock,
      logger: areaLogger(this.#log, "matrix"),
      onToDevice: (events, backlog) => this.#inbox?.handleBatch(events, backlog),
      onSynced: () => {
        this.#watcher?.check(this.#clock.now());
        this.#links?.check(this.#clock.now());
      },
      onSyncError: () => this.metrics.syncErrors.inc(),
      onFatal: (err) => this.#onFatal?.(err),
    });
  }

  /** Logs in, starts syncing and serving; resolves once the focus is running. */
  static async start(o: FocusOptions): Promise<Focus> {
    const focus = new Focus(o);
    try {
      await focus.#start();
    } catch (err) {
      await focus.close();
      throw err;
    }
    return focus;
  }

  /** The focus's Matrix user and device. */
  get me(): DeviceRef {
    return this.#connection.me;
  }

  /** True while the sync loop is up to date with the homeserver. */
  get syncing(): boolean {
    return this.#connection.syncing;
  }

  /** Base URL of /metrics and /health, when enabled. */
  get httpUrl(): string | undefined {
    return this.#http?.url;
  }

  /** Base URL of the local debug server (GET /conferences), when enabled. */
  get debugUrl(): string | undefined {
    return this.#debug?.url;
  }

  /**
   * The conference layer (for stats and tests). With workers its reads come from snapshots up
   * to 250 ms old; `await conferences.idle()` refreshes them.
   */
  get conferences(): ConferenceLayer {
    if (this.#manager === undefined) throw new Error("the focus has not started");
    return this.#manager;
  }

  async #start(): Promise<void> {
    const c = this.config;
    const me = await this.#connection.logIn();
    const signalling = new MatrixSignalling({
      http: this.#connection.http,
      variant: c.namesVariant,
      clock: this.#clock,
    });
    const options: ConferenceManagerOptions = {
      focus: me,
      signalling,
      logger: areaLogger(this.#log, "conference"),
      media: definedOnly({
        hostAddresses: c.media.hostAddresses,
        iceServers: c.media.stunServers?.map((urls) => ({ urls })),
        portRange:
          c.media.portMin !== undefined && c.media.portMax !== undefined
            ? ([c.media.portMin, c.media.portMax] as [number, number])
            : undefined,
      }),
      keepAlive: definedOnly(c.keepAlive),
      limits: definedOnly({ maxParticipantsPerConference: c.limits.maxParticipantsPerConference }),
      linkInviteLifetimeMs: this.#cascade.inviteLifetimeMs,
      linkRequested: (conference, focus) =>
        this.#links?.request(conference, focus, this.#clock.now()) ?? "the focus is starting",
    };
    const workers = c.workers === "auto" ? availableParallelism() : c.workers;
    const manager: ConferenceLayer =
      workers > 1 && !this.#clockInjected
        ? await ConferenceWorkers.start({ ...options, workers, spreadAbove: c.spreadAbove })
        : new ConferenceManager({ ...options, clock: this.#clock });
    this.#manager = manager;
    this.metrics.readFrom(manager);
    registerLinkMetrics(
      this.metrics.registry,
      () => manager.links(),
      () => this.#clock.now(),
    );
    const calls = new CallRegistry((id) => manager.hasCall(id), configDefaults.callGraceMs);
    this.#watcher = new MembershipWatcher(this.#rooms, calls, (input) => {
      this.#log.info({ conference: input.conference, member: input.member }, "member left");
      manager.handle(input);
    });
    this.#links = new LinkCoordinator({
      me,
      inUse: (now) => fociInUseByConference(this.#rooms, now),
      calls,
      conferences: manager,
      backoff: this.#cascade.retry,
      logger: areaLogger(this.#log, "cascade"),
    });
    this.#linkTimer = this.#clock.setInterval(
      () => this.#links?.check(this.#clock.now()),
      this.#cascade.checkIntervalMs,
    );
    this.#inbox = new CallEventInbox({
      focus: me,
      sessionId: randomUUID(),
      rooms: this.#rooms,
      calls,
      limiter: new RateLimiter({
        ratePerSecond: c.limits.messagesPerSecond,
        burst: c.limits.messageBurst,
        clock: this.#clock,
      }),
      conferences: manager,
      signalling,
      clock: this.#clock,
      logger: areaLogger(this.#log, "inbox"),
      allowedHomeservers: c.allowedHomeservers,
      maxInviteAgeMs: c.maxInviteAgeMs,
      maxCallsPerUser: c.limits.maxCallsPerUser,
      rateLimitReplyIntervalMs: configDefaults.limits.rateLimitReplyIntervalMs,
      observer: {
        received: (type) => this.metrics.toDeviceReceived.inc({ type }),
        refused: (reason) => this.metrics.callsRefused.inc({ reason }),
        ignored: (why) => this.metrics.toDeviceIgnored.inc({ why }),
      },
    });
    this.#timer = this.#clock.setInterval(
      () => this.#watcher?.check(this.#clock.now()),
      c.membershipCheckIntervalMs,
    );
    await this.#connection.startSyncing();
    this.#log.info(
      { userId: me.userId, deviceId: me.deviceId, workers: c.workers, srtp: nativeStatus() },
      "focus running",
    );
    if (c.metrics.enabled) {
      this.#http = await startHttpServer({
        host: c.metrics.host,
        port: c.metrics.port,
        metrics: this.metrics,
        isHealthy: () => this.syncing,
        logger: areaLogger(this.#log, "http"),
      });
    }
    if (c.debug.enabled) {
      this.#debug = await startDebugServer({
        port: c.debug.port,
        state: () => ({ conferences: manager.dump(), links: manager.links() }),
        logger: areaLogger(this.#log, "http"),
      });
    }
  }

  /** Stops the focus: no new input, every call hung up, endpoint closed. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#clock.clearInterval(this.#timer);
      this.#clock.clearInterval(this.#linkTimer);
      await this.#connection.stop();
      const manager = this.#manager;
      if (manager !== undefined) {
        await this.#inbox?.hangUpAll(HangupReason.focusShutdown, (id) => manager.hasCall(id));
        await manager.close();
      }
      await this.#http?.close();
      await this.#debug?.close();
      this.#log.info("focus stopped");
    })();
    return this.#closed;
  }
}

/** Drops undefined fields, so that the conference layer's own defaults apply. */
function definedOnly<T extends object>(
  o: T,
): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<{
    [K in keyof T]: Exclude<T[K], undefined>;
  }>;
}
