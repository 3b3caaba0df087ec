import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configDefaults } from "./defaults.ts";
import { ConfigError, loadConfig, validateConfig } from "./loadConfig.ts";

const minimal = {
  homeserverUrl: "http://127.0.0.1:8008",
  userId: "@focus:localhost",
  password: "secret",
};

function problemsOf(raw: unknown, sources?: Map<string, string>): string[] {
  try {
    validateConfig(raw, sources);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("config was accepted");
}

describe("validateConfig", () => {
  it("fills every default from the defaults file", () => {
    const c = validateConfig(minimal);
    expect(c.dataDir).toBe(configDefaults.dataDir);
    expect(c.autoJoin).toBe(true);
    expect(c.metrics).toEqual(configDefaults.metrics);
    expect(c.debug).toEqual({ enabled: false, port: configDefaults.debug.port });
    expect(c.limits.maxCallsPerUser).toBe(configDefaults.limits.maxCallsPerUser);
    expect(c.sync.backoffMaxMs).toBe(configDefaults.sync.backoffMaxMs);
    expect(c.namesVariant).toBe("stable");
  });

  it("names the field of a URL that is not http(s)", () => {
    expect(problemsOf({ ...minimal, homeserverUrl: "ftp://x" })).toEqual([
      expect.stringMatching(/^homeserverUrl: /),
    ]);
  });

  it("asks for a user and a secret when both are missing", () => {
    const problems = problemsOf({ homeserverUrl: "http://hs" });
    expect(problems).toContain("userId: give userId or username");
    expect(problems).toContain("password: give password or accessToken");
  });

  it("reports a misspelt option instead of ignoring it", () => {
    const problems = problemsOf({ ...minimal, autojoin: false });
    expect(problems.join("\n")).toMatch(/autojoin/);
  });

  it("names the nested field of a port out of range", () => {
    expect(problemsOf({ ...minimal, metrics: { port: 70000 } })).toEqual([
      expect.stringMatching(/^metrics\.port: /),
    ]);
  });

  it("rejects a media port range given by one end only", () => {
    expect(problemsOf({ ...minimal, media: { portMin: 40000 } })).toEqual([
      "media.portMax: portMin and portMax must be given together",
    ]);
  });

  it("rejects a keep-alive interval above 30 seconds", () => {
    expect(problemsOf({ ...minimal, keepAlive: { pingIntervalMs: 60_000 } })[0]).toMatch(
      /^keepAlive\.pingIntervalMs: /,
    );
  });
});

describe("loadConfig", () => {
  it("lets environment variables override the YAML file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "focus-config-"));
    const file = join(dir, "focus.yaml");
    await writeFile(
      file,
      "homeserverUrl: http://a:1\nuserId: '@f:a'\npassword: p\nautoJoin: true\n",
    );
    const c = await loadConfig(file, {
      MATRIX_FOCUS_HOMESERVER_URL: "http://b:2",
      MATRIX_FOCUS_AUTO_JOIN: "false",
      MATRIX_FOCUS_METRICS_PORT: "0",
      MATRIX_FOCUS_DEBUG_ENABLED: "true",
      MATRIX_FOCUS_DEBUG_PORT: "0",
      MATRIX_FOCUS_ALLOWED_HOMESERVERS: "a, b.org",
      MATRIX_FOCUS_MEDIA_STUN_SERVERS: "stun:stun.example.org:3478",
    });
    expect(c.homeserverUrl).toBe("http://b:2");
    expect(c.autoJoin).toBe(false);
    expect(c.metrics.port).toBe(0);
    expect(c.debug).toEqual({ enabled: true, port: 0 });
    expect(c.allowedHomeservers).toEqual(["a", "b.org"]);
    expect(c.media.stunServers).toEqual(["stun:stun.example.org:3478"]);
  });

  it("takes only stun: and stuns: URLs as STUN servers", () => {
    expect(validateConfig({ ...minimal, media: { stunServers: ["stuns:s.org"] } }).media).toEqual({
      stunServers: ["stuns:s.org"],
    });
    expect(problemsOf({ ...minimal, media: { stunServers: ["turn:t.org"] } })).toEqual([
      "media.stunServers.0: must be a stun: or stuns: URL",
    ]);
  });

  it("reads the number of media workers, or auto, from MATRIX_FOCUS_WORKERS", async () => {
    const env = { MATRIX_FOCUS_HOMESERVER_URL: "http://hs", MATRIX_FOCUS_USER_ID: "@f:hs" };
    const withWorkers = (w: string) =>
      loadConfig(undefined, { ...env, MATRIX_FOCUS_PASSWORD: "pw", MATRIX_FOCUS_WORKERS: w });
    expect((await withWorkers("4")).workers).toBe(4);
    expect((await withWorkers("auto")).workers).toBe("auto");
    await expect(withWorkers("0")).rejects.toThrow(/workers \(from MATRIX_FOCUS_WORKERS\)/);
    expect(validateConfig(minimal).workers).toBe(configDefaults.workers);
  });

  it("lowers V8's helper threads to nice 19 unless told another value from 0 to 19", async () => {
    expect(validateConfig(minimal).helperThreadNice).toBe(19);
    expect(validateConfig({ ...minimal, helperThreadNice: 0 }).helperThreadNice).toBe(0);
    expect(problemsOf({ ...minimal, helperThreadNice: -5 })).toEqual([
      expect.stringContaining("helperThreadNice"),
    ]);
    const env = {
      MATRIX_FOCUS_HOMESERVER_URL: "http://hs",
      MATRIX_FOCUS_USER_ID: "@f:hs",
      MATRIX_FOCUS_PASSWORD: "pw",
      MATRIX_FOCUS_HELPER_THREAD_NICE: "10",
    };
    expect((await loadConfig(undefined, env)).helperThreadNice).toBe(10);
  });

  it("names the environment variable behind a bad value", async () => {
    const err = await loadConfig(undefined, {
      MATRIX_FOCUS_HOMESERVER_URL: "http://hs",
      MATRIX_FOCUS_USER_ID: "@f:hs",
      MATRIX_FOCUS_ACCESS_TOKEN: "t",
      MATRIX_FOCUS_METRICS_PORT: "many",
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems[0]).toMatch(
      /^metrics\.port \(from MATRIX_FOCUS_METRICS_PORT\): /,
    );
  });

  it("reads the example config shipped with the package, where empty sections mean defaults", async () => {
    const file = new URL("../../focus.example.yaml", import.meta.url).pathname;
    const c = await loadConfig(file, {});
    expect(c.homeserverUrl).toBe("https://matrix.example.org");
    expect(c.keepAlive).toEqual({});
    expect(c.media).toEqual({});
  });

  it("says which file cannot be parsed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "focus-config-"));
    const file = join(dir, "bad.yaml");
    await writeFile(file, "homeserverUrl: [unclosed\n");
    await expect(loadConfig(file, {})).rejects.toThrow(/bad\.yaml: is not valid YAML/);
  });
});
