// A focus as the matrix-focus command in its own process, read through its public surfaces:
// /metrics and /health, and the local debug server's /conferences.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { FocusRef } from "@matrix-focus/protocol";
import { focusLogLevel } from "./focusStack.ts";

const bin = fileURLToPath(new URL("../../../packages/focus/bin/matrix-focus", import.meta.url));

/** One link as the debug server shows it. */
export interface LinkState {
  callId: string;
  focus: FocusRef;
  dialer: boolean;
  state: string;
  /** "stream/track" -> packets sent over the link. */
  sent: Record<string, number>;
}

/** What GET /conferences answers (the parts the tests read). */
export interface FocusState {
  conferences: { roomId: string; publications: { origin?: unknown }[] }[];
  links: { conference: { roomId: string }; links: LinkState[] }[];
}

export interface FocusProcess {
  ref: FocusRef;
  process: ChildProcess;
  metricsUrl: string;
  debugUrl: string;
  /** Resolves with the exit once the process has ended. */
  exited: Promise<void>;
}

/** A free port on 127.0.0.1 (closed again, for a process to bind). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Starts the command for `username`/`deviceId`, with metrics and the debug server on. */
export async function startFocusProcess(o: {
  homeserverUrl: string;
  serverName: string;
  username: string;
  deviceId: string;
  dataDir: string;
}): Promise<FocusProcess> {
  const [metricsPort, debugPort] = [await freePort(), await freePort()];
  const child = spawn(bin, [], {
    stdio: ["ignore", focusLogLevel === "silent" ? "ignore" : "inherit", "inherit"],
    env: {
      PATH: process.env.PATH ?? "",
      MATRIX_FOCUS_HOMESERVER_URL: o.homeserverUrl,
      MATRIX_FOCUS_USERNAME: o.username,
      MATRIX_FOCUS_PASSWORD: "focus-pw",
      MATRIX_FOCUS_REGISTER: "true",
      MATRIX_FOCUS_DEVICE_ID: o.deviceId,
      MATRIX_FOCUS_DATA_DIR: o.dataDir,
      MATRIX_FOCUS_METRICS_PORT: String(metricsPort),
      MATRIX_FOCUS_DEBUG_ENABLED: "true",
      MATRIX_FOCUS_DEBUG_PORT: String(debugPort),
      MATRIX_FOCUS_LOG_LEVEL: focusLogLevel,
    },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    ref: { userId: `@${o.username}:${o.serverName}`, deviceId: o.deviceId },
    process: child,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    debugUrl: `http://127.0.0.1:${debugPort}`,
    exited,
  };
}

/** True once the focus answers /health with 200 (it is syncing). */
export function isSyncing(f: FocusProcess): Promise<boolean> {
  return fetch(`${f.metricsUrl}/health`).then(
    (r) => r.ok,
    () => false,
  );
}

/** The focus's Prometheus text. */
export async function metricsOf(f: FocusProcess): Promise<string> {
  const res = await fetch(`${f.metricsUrl}/metrics`);
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

/** The focus's conferences and links, from its debug server. */
export async function stateOf(f: FocusProcess): Promise<FocusState> {
  const res = await fetch(`${f.debugUrl}/conferences`);
  if (!res.ok) throw new Error(`/conferences answered ${res.status}`);
  return (await res.json()) as FocusState;
}

/** Kills the process at once and waits until it is gone. */
export async function killFocus(f: FocusProcess): Promise<void> {
  f.process.kill("SIGKILL");
  await f.exited;
}
