// One focus as a child process running the focus command line (`matrix-focus --config`), so that
// the stack behaves like a deployment and a test can kill the focus and start it again.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { focusEnv, focusNodeFlags } from "@matrix-focus/focus/nodeFlags";
import { stackDefaults } from "./defaults.ts";
import { freePort } from "./freePort.ts";
import { focusMain, repoRoot } from "./paths.ts";

export interface FocusProcessOptions {
  homeserverUrl: string;
  serverName: string;
  username: string;
  deviceId: string;
  password: string;
  /** Directory for the focus config file and its own data (login, sync token). */
  dataDir: string;
  host: string;
  logLevel?: string;
  /** Receives every output line of the process. */
  onOutput?: (line: string) => void;
}

export type FocusProcessState = "stopped" | "starting" | "running" | "exited";

export class FocusProcess {
  readonly userId: string;
  readonly deviceId: string;
  private readonly options: FocusProcessOptions;
  private child: ChildProcess | undefined;
  private metricsPort = 0;
  private exitPromise: Promise<void> = Promise.resolve();
  private stateValue: FocusProcessState = "stopped";

  constructor(options: FocusProcessOptions) {
    this.options = options;
    this.userId = `@${options.username}:${options.serverName}`;
    this.deviceId = options.deviceId;
  }

  /** True when the focus command line exists in this checkout. */
  static available(): boolean {
    return existsSync(focusMain);
  }

  get state(): FocusProcessState {
    return this.stateValue;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The focus object as the homeserver advertises it in `rtc_transports`. */
  get transport(): { user_id: string; device_id: string } {
    return { user_id: this.userId, device_id: this.deviceId };
  }

  /** Starts the process and waits until its health endpoint answers. */
  async start(): Promise<void> {
    if (this.child !== undefined) throw new Error(`focus ${this.userId} is already running`);
    const o = this.options;
    mkdirSync(o.dataDir, { recursive: true });
    this.metricsPort = await freePort(o.host);
    const configPath = join(o.dataDir, "focus-config.json");
    const config = {
      homeserverUrl: o.homeserverUrl,
      username: o.username,
      password: o.password,
      deviceId: o.deviceId,
      register: true,
      dataDir: join(o.dataDir, "state"),
      logLevel: o.logLevel ?? stackDefaults.focusLogLevel,
      metrics: { enabled: true, host: o.host, port: this.metricsPort },
      media: { hostAddresses: [o.host] },
    };
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    // the same V8 flags and environment as packages/focus/bin/matrix-focus
    const v8Flags = focusNodeFlags;
    const child = spawn(process.execPath, [...v8Flags, focusMain, "--config", configPath], {
      cwd: repoRoot,
      env: { ...focusEnv, ...process.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.stateValue = "starting";
    // A focus must not outlive the stack that started it, even when the stack crashes.
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) if (line.trim() !== "") o.onOutput?.(line);
      });
    }
    this.exitPromise = new Promise<void>((resolve) => {
      child.once("exit", (code, signal) => {
        process.off("exit", killOnExit);
        o.onOutput?.(`process exited (${signal ?? `code ${code}`})`);
        if (this.child === child) {
          this.child = undefined;
          this.stateValue = "exited";
        }
        resolve();
      });
    });
    await this.waitHealthy(child);
    this.stateValue = "running";
  }

  private async waitHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + stackDefaults.focusReadyTimeoutMs;
    const url = `http://${this.options.host}:${this.metricsPort}/health`;
    while (Date.now() < deadline) {
      if (this.child !== child) throw new Error(`focus ${this.userId} exited while starting`);
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`focus ${this.userId} did not become healthy at ${url} in time`);
  }

  /** Kills the process at once (SIGKILL), as a crash would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    child.kill("SIGKILL");
    await this.exitPromise;
  }

  /** Stops the process gracefully (SIGTERM), killing it if it does not exit in time. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), stackDefaults.focusStopGraceMs);
    await this.exitPromise;
    clearTimeout(timer);
    this.stateValue = "stopped";
  }
}
