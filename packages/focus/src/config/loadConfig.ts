// Builds the configuration from a YAML file and MATRIX_FOCUS_* environment variables
// (environment wins), validates it, and reports every problem by field name.
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { type FocusConfig, focusConfigSchema } from "./FocusConfig.ts";

/** A configuration that cannot be used; `problems` lists each field and why. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

type Kind = "string" | "number" | "boolean" | "list";

/** Environment variable -> config path and how its text is read. */
export const envVariables: Record<string, { path: string[]; kind: Kind }> = {
  MATRIX_FOCUS_HOMESERVER_URL: { path: ["homeserverUrl"], kind: "string" },
  MATRIX_FOCUS_USER_ID: { path: ["userId"], kind: "string" },
  MATRIX_FOCUS_USERNAME: { path: ["username"], kind: "string" },
  MATRIX_FOCUS_PASSWORD: { path: ["password"], kind: "string" },
  MATRIX_FOCUS_ACCESS_TOKEN: { path: ["accessToken"], kind: "string" },
  MATRIX_FOCUS_DEVICE_ID: { path: ["deviceId"], kind: "string" },
  MATRIX_FOCUS_DATA_DIR: { path: ["dataDir"], kind: "string" },
  MATRIX_FOCUS_REGISTER: { path: ["register"], kind: "boolean" },
  MATRIX_FOCUS_AUTO_JOIN: { path: ["autoJoin"], kind: "boolean" },
  MATRIX_FOCUS_JOIN_ON_CALL: { path: ["joinOnCall"], kind: "boolean" },
  MATRIX_FOCUS_ALLOWED_HOMESERVERS: { path: ["allowedHomeservers"], kind: "list" },
  MATRIX_FOCUS_WORKERS: { path: ["workers"], kind: "number" }, // a number or "auto"
  MATRIX_FOCUS_SPREAD_ABOVE: { path: ["spreadAbove"], kind: "number" },
  MATRIX_FOCUS_HELPER_THREAD_NICE: { path: ["helperThreadNice"], kind: "number" },
  MATRIX_FOCUS_MALLOC_TRIM_INTERVAL_MS: { path: ["mallocTrimIntervalMs"], kind: "number" },
  MATRIX_FOCUS_NAMES_VARIANT: { path: ["namesVariant"], kind: "string" },
  MATRIX_FOCUS_LOG_LEVEL: { path: ["logLevel"], kind: "string" },
  MATRIX_FOCUS_MAX_INVITE_AGE_MS: { path: ["maxInviteAgeMs"], kind: "number" },
  MATRIX_FOCUS_METRICS_ENABLED: { path: ["metrics", "enabled"], kind: "boolean" },
  MATRIX_FOCUS_METRICS_HOST: { path: ["metrics", "host"], kind: "string" },
  MATRIX_FOCUS_METRICS_PORT: { path: ["metrics", "port"], kind: "number" },
  MATRIX_FOCUS_DEBUG_ENABLED: { path: ["debug", "enabled"], kind: "boolean" },
  MATRIX_FOCUS_DEBUG_PORT: { path: ["debug", "port"], kind: "number" },
  MATRIX_FOCUS_MAX_CALLS_PER_USER: { path: ["limits", "maxCallsPerUser"], kind: "number" },
  MATRIX_FOCUS_MESSAGES_PER_SECOND: { path: ["limits", "messagesPerSecond"], kind: "number" },
  MATRIX_FOCUS_KEEP_ALIVE_INTERVAL_MS: { path: ["keepAlive", "pingIntervalMs"], kind: "number" },
  MATRIX_FOCUS_MEDIA_HOST_ADDRESSES: { path: ["media", "hostAddresses"], kind: "list" },
  MATRIX_FOCUS_MEDIA_STUN_SERVERS: { path: ["media", "stunServers"], kind: "list" },
  MATRIX_FOCUS_MEDIA_PORT_MIN: { path: ["media", "portMin"], kind: "number" },
  MATRIX_FOCUS_MEDIA_PORT_MAX: { path: ["media", "portMax"], kind: "number" },
};

function readEnvValue(text: string, kind: Kind): unknown {
  switch (kind) {
    case "string":
      return text;
    case "number": {
      const n = Number(text);
      return text.trim() === "" || Number.isNaN(n) ? text : n; // a string makes zod say why
    }
    case "boolean":
      if (/^(true|1|yes)$/i.test(text)) return true;
      if (/^(false|0|no)$/i.test(text)) return false;
      return text;
    case "list":
      return text
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
  }
}

/** The config fragment given by MATRIX_FOCUS_* variables, and which path came from which. */
export function configFromEnv(env: NodeJS.ProcessEnv): {
  values: Record<string, unknown>;
  sources: Map<string, string>;
} {
  const values: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const [name, { path, kind }] of Object.entries(envVariables)) {
    const text = env[name];
    if (text === undefined) continue;
    let node = values;
    for (const key of path.slice(0, -1)) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1] as string] = readEnvValue(text, kind);
    sources.set(path.join("."), name);
  }
  return { values, sources };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge of plain objects; `over` wins; arrays are replaced. */
export function mergeConfig(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeConfig(base[k], v);
  return out;
}

function describeIssues(issues: z.core.$ZodIssue[], sources: Map<string, string>): string[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join(".") || "(config)";
    const from = sources.get(field);
    const where = from === undefined ? field : `${field} (from ${from})`;
    return `${where}: ${issue.message}`;
  });
}

/** Drops keys whose value is null: in YAML `key:` with nothing after it means "not set". */
function withoutNulls(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}

/** Validates a merged config object; throws ConfigError naming each bad field. */
export function validateConfig(
  raw: unknown,
  sources: Map<string, string> = new Map(),
): FocusConfig {
  if (!isPlainObject(raw)) throw new ConfigError(["(config): must be a mapping of options"]);
  const result = focusConfigSchema.safeParse(withoutNulls(raw));
  if (!result.success) throw new ConfigError(describeIssues(result.error.issues, sources));
  return result.data;
}

/** Reads the YAML file (if any), applies the environment, validates. */
export async function loadConfig(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FocusConfig> {
  let fromFile: unknown = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      throw new ConfigError([`${file}: cannot be read (${(err as Error).message})`]);
    }
    try {
      fromFile = parseYaml(text) ?? {};
    } catch (err) {
      throw new ConfigError([`${file}: is not valid YAML (${(err as Error).message})`]);
    }
  }
  const { values, sources } = configFromEnv(env);
  return validateConfig(mergeConfig(fromFile, values), sources);
}
