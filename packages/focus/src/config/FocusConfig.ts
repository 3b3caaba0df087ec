// The focus configuration: one zod schema that gives both the runtime check and the type.
// Unknown keys are errors, so that a misspelt option is reported instead of silently ignored.
import { z } from "zod";
import { configDefaults as d } from "./defaults.ts";

const positiveMs = z.number().int().positive();
const port = z.number().int().min(0).max(65535);
const serverName = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9.:\-[\]]+$/, "must be a homeserver name such as example.org");

const metricsSchema = z.strictObject({
  enabled: z.boolean().default(d.metrics.enabled),
  host: z.string().min(1).default(d.metrics.host),
  port: port.default(d.metrics.port),
});

const debugSchema = z.strictObject({
  enabled: z.boolean().default(d.debug.enabled),
  port: port.default(d.debug.port),
});

const syncSchema = z.strictObject({
  timeoutMs: z.number().int().min(0).default(d.sync.timeoutMs),
  backoffInitialMs: positiveMs.default(d.sync.backoffInitialMs),
  backoffMaxMs: positiveMs.default(d.sync.backoffMaxMs),
  backoffFactor: z.number().min(1).default(d.sync.backoffFactor),
  backoffJitter: z.number().min(0).max(1).default(d.sync.backoffJitter),
});

const limitsSchema = z.strictObject({
  maxCallsPerUser: z.number().int().positive().default(d.limits.maxCallsPerUser),
  messagesPerSecond: z.number().positive().default(d.limits.messagesPerSecond),
  messageBurst: z.number().int().positive().default(d.limits.messageBurst),
  /** Passed to the conference layer; its own default applies when absent. */
  maxParticipantsPerConference: z.number().int().positive().optional(),
});

const keepAliveSchema = z.strictObject({
  /** Passed to the conference layer; its own defaults apply when absent. */
  pingIntervalMs: positiveMs.max(30_000).optional(),
  pongTimeoutMs: positiveMs.optional(),
});

const mediaSchema = z
  .strictObject({
    hostAddresses: z.array(z.string().min(1)).optional(),
    /** STUN servers to learn a server-reflexive candidate from; none unless given. */
    stunServers: z
      .array(z.string().regex(/^stuns?:\S+$/i, "must be a stun: or stuns: URL"))
      .optional(),
    portMin: port.min(1).optional(),
    portMax: port.min(1).optional(),
  })
  .superRefine((m, ctx) => {
    if ((m.portMin === undefined) !== (m.portMax === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [m.portMin === undefined ? "portMin" : "portMax"],
        message: "portMin and portMax must be given together",
      });
    } else if (m.portMin !== undefined && m.portMax !== undefined && m.portMin > m.portMax) {
      ctx.addIssue({ code: "custom", path: ["portMax"], message: "must be >= portMin" });
    }
  });

export const focusConfigSchema = z
  .strictObject({
    homeserverUrl: z.url({
      protocol: /^https?$/,
      error: (issue) => (issue.input === undefined ? "required" : "must be an http(s) URL"),
    }),
    userId: z
      .string()
      .regex(/^@[^:]+:.+$/, "must be a full Matrix user id such as @focus:example.org")
      .optional(),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    accessToken: z.string().min(1).optional(),
    deviceId: z.string().min(1).optional(),
    dataDir: z.string().min(1).default(d.dataDir),
    register: z.boolean().default(d.register),
    autoJoin: z.boolean().default(d.autoJoin),
    joinOnCall: z.boolean().default(d.joinOnCall),
    allowedHomeservers: z.array(serverName).default([...d.allowedHomeservers]),
    workers: z.union([z.literal("auto"), z.number().int().min(1).max(256)]).default(d.workers),
    spreadAbove: z.number().int().min(0).default(d.spreadAbove),
    helperThreadNice: z.number().int().min(0).max(19).default(d.helperThreadNice),
    mallocTrimIntervalMs: z.number().int().min(0).default(d.mallocTrimIntervalMs),
    namesVariant: z.enum(["stable", "unstable"]).default(d.namesVariant),
    logLevel: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default(d.logLevel),
    maxInviteAgeMs: positiveMs.default(d.maxInviteAgeMs),
    membershipCheckIntervalMs: positiveMs.default(d.membershipCheckIntervalMs),
    metrics: metricsSchema.prefault({}),
    debug: debugSchema.prefault({}),
    sync: syncSchema.prefault({}),
    limits: limitsSchema.prefault({}),
    keepAlive: keepAliveSchema.prefault({}),
    media: mediaSchema.prefault({}),
  })
  .superRefine((c, ctx) => {
    if (c.userId === undefined && c.username === undefined) {
      ctx.addIssue({ code: "custom", path: ["userId"], message: "give userId or username" });
    }
    if (c.password === undefined && c.accessToken === undefined) {
      ctx.addIssue({ code: "custom", path: ["password"], message: "give password or accessToken" });
    }
    if (c.register && c.password === undefined) {
      ctx.addIssue({ code: "custom", path: ["register"], message: "register needs a password" });
    }
  });

/** The validated configuration, every default filled in. */
export type FocusConfig = z.output<typeof focusConfigSchema>;
/** What a config file (or a test) may give: every field with a default is optional. */
export type FocusConfigInput = z.input<typeof focusConfigSchema>;
