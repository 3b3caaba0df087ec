// Every default of the focus process (Matrix side, limits, HTTP endpoint, logging), in one
// place. Media and conference defaults live with their own layers and are passed through.

export const configDefaults = {
  /** Device id used when neither the config nor a stored login names one. */
  deviceId: "MATRIXFOCUS",
  /** Where the focus keeps its login and sync token between runs. */
  dataDir: "./.data/focus",
  /** Register the account when the password login fails with M_FORBIDDEN (dev homeservers). */
  register: false,
  /** Join rooms the focus is invited to. */
  autoJoin: true,
  /** Join a (public) room by itself when an invite names it by room_id and the focus is not in it. */
  joinOnCall: false,
  /** A room the focus could not join on a call is not tried again for this long, ms. */
  joinOnCallRetryMs: 60_000,
  /** Homeserver names whose users may use the focus and whose rooms it joins; empty = any. */
  allowedHomeservers: [] as string[],
  /**
   * Media worker threads, each running whole conferences with their media plane; "auto" = one
   * per core (`os.availableParallelism()`), 1 = everything on the main thread (no workers).
   * A media stall once seen with workers under heavy load did not come back on the final code
   * (docs/decisions/focus-workers.md, "Known issue"); `1` is the fallback if it does.
   */
  workers: "auto" as number | "auto",
  /**
   * With several workers: devices of one conference on one worker before the conference takes
   * further devices on another worker (its parts link like foci); 0 = a conference never
   * spreads. docs/decisions/focus-workers.md, "Spreading one conference".
   */
  spreadAbove: 20,
  /**
   * Nice value for V8's helper threads (TurboFan compilation), so that they take the core only
   * when the event loops leave it idle; a thread's nice is only ever raised, so 0 leaves them
   * at the process's priority. docs/decisions/perf-helper-threads.md.
   */
  helperThreadNice: 19,
  /**
   * How often the focus gives malloc's free pages back to the system (malloc_trim, with the
   * native addon on glibc); 0 = never. docs/decisions/perf-memory.md.
   */
  mallocTrimIntervalMs: 10_000,
  /** Which spelling the focus writes for names that have a stable and an unstable one. */
  namesVariant: "stable" as "stable" | "unstable",
  logLevel: "info" as "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent",
  metrics: {
    /** Serve /metrics and /health on a small HTTP server. */
    enabled: true,
    /** Listen address; loopback so that metrics are not public by default. */
    host: "127.0.0.1",
    /** Listen port; 0 = a free port chosen at start (logged). */
    port: 9464,
  },
  debug: {
    /** Serve GET /conferences (the conferences' state as JSON) on 127.0.0.1 only. */
    enabled: false,
    /** Listen port; 0 = a free port chosen at start (logged). */
    port: 9465,
  },
  sync: {
    /** Long-poll timeout of /sync, ms. */
    timeoutMs: 30_000,
    /** First retry delay after a failed request, ms. */
    backoffInitialMs: 500,
    /** Longest retry delay, ms. */
    backoffMaxMs: 30_000,
    /** Each failed attempt multiplies the delay by this factor. */
    backoffFactor: 2,
    /** Share of the delay that is randomised (0 = none, 1 = anywhere between 0 and the delay). */
    backoffJitter: 0.5,
  },
  limits: {
    /** Most calls one user may have with the focus at the same time; more are refused with `capacity`. */
    maxCallsPerUser: 4,
    /** Sustained to-device call messages per second per user (token bucket refill). */
    messagesPerSecond: 20,
    /** Burst of to-device call messages per user (token bucket size). */
    messageBurst: 100,
    /** At most one rate_limited refusal per user per this interval, ms. */
    rateLimitReplyIntervalMs: 1_000,
  },
  /** Invites older than this (by their created_ts) are refused with invite_expired, ms. */
  maxInviteAgeMs: 60_000,
  /** Sending a to-device message: attempts while the homeserver fails (5xx, 429, unreachable). */
  sendToDevice: {
    attempts: 4,
    backoffInitialMs: 250,
    backoffMaxMs: 4_000,
  },
  /** A request to the homeserver that takes longer than this is abandoned (a /sync gets its long-poll timeout on top), ms. */
  requestTimeoutMs: 30_000,
  /** After SIGINT/SIGTERM, the process exits anyway after this long, ms. */
  shutdownTimeoutMs: 10_000,
  /** An accepted call the conference layer does not (yet) know still counts for this long, ms. */
  callGraceMs: 10_000,
  /** How often memberships are re-checked for expiry, ms. */
  membershipCheckIntervalMs: 5_000,
} as const;
