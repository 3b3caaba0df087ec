// A running system under test: the process to measure and how the load generator reaches it.
import type { TargetSpec } from "../load/ipc.ts";

export type WindowMark = "start" | "end";

export interface Sut {
  kind: "focus" | "janus";
  /** The process whose CPU and memory are the figures (pinned to the SUT core). */
  pid: number;
  /** What the load generator is told about the target. */
  target: TargetSpec;
  /** Relays a signalling message from the load generator to the SUT (our focus only). */
  deliver?(from: string, payload: unknown): void;
  /** Called with each signalling message from the SUT to a load participant. */
  onSignal?: (to: string, payload: unknown) => void;
  /**
   * The SUT's own counters (our focus: packets/bytes in and out), when it has any. `window`
   * marks the readings that open and close the measurement window, where the focus host's
   * opt-in reports (profile, memory, loop delay) start and stop.
   */
  counters?(window?: WindowMark): Promise<Record<string, number>>;
  /** Last lines of the SUT's log, for error reports. */
  logTail(): string;
  close(): Promise<void>;
}

/** Keeps the last `max` lines written to a stream. */
export class LogTail {
  readonly #lines: string[] = [];
  readonly #max: number;

  constructor(max = 40) {
    this.#max = max;
  }

  push(chunk: Buffer | string): void {
    for (const line of chunk.toString().split("\n")) {
      if (!line) continue;
      this.#lines.push(line);
      if (this.#lines.length > this.#max) this.#lines.shift();
    }
  }

  text(): string {
    return this.#lines.join("\n");
  }
}

/** Every child process the benchmark started and that still runs (killed on Ctrl-C). */
export const liveChildren = new Set<import("node:child_process").ChildProcess>();

/** Registers a child so that `killAllChildren` can end it; forgets it when it exits. */
export function track<T extends import("node:child_process").ChildProcess>(child: T): T {
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  return child;
}

/** Kills every registered child at once (for signal handlers; synchronous). */
export function killAllChildren(): void {
  for (const c of liveChildren) c.kill("SIGKILL");
  liveChildren.clear();
}

/** Waits until a child process exits, or kills it after `ms`. */
export async function stopChild(
  child: import("node:child_process").ChildProcess,
  ms = 5000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  await exited;
  clearTimeout(timer);
}
