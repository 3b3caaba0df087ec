// The load generator as a child process pinned to its own core, driven over Node IPC.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type {
  FromLoad,
  LateJoinOutcome,
  LateJoinPlan,
  LoadMeasured,
  LoadPlan,
  SetupResult,
  ToLoad,
} from "../load/ipc.ts";
import { LogTail, stopChild, track } from "../sut/Sut.ts";

const MAIN = fileURLToPath(new URL("../load/main.ts", import.meta.url));

export class LoadProcess {
  readonly child: ChildProcess;
  readonly log = new LogTail(40);
  #waiters: { type: FromLoad["type"]; resolve(m: FromLoad): void; reject(e: Error): void }[] = [];
  onSignal: ((from: string, payload: unknown) => void) | undefined;

  /** `nice`: scheduling priority of the process (the delay probe runs ahead of the load). */
  constructor(core: number, nice = 0) {
    const extra = process.env.MF_BENCH_LOAD_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
    const pinned = ["taskset", "-c", String(core), process.execPath, ...extra, MAIN];
    const cmd = nice !== 0 ? ["nice", "-n", String(nice), ...pinned] : pinned;
    this.child = track(
      spawn(cmd[0] as string, cmd.slice(1), {
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        serialization: "json",
      }),
    );
    this.child.stdout?.on("data", (d: Buffer) => this.log.push(d));
    this.child.stderr?.on("data", (d: Buffer) => this.log.push(d));
    this.child.on("message", (raw) => this.#onMessage(raw as FromLoad));
    this.child.once("exit", (code) => {
      const e = new Error(`load generator exited with ${code}:\n${this.log.text()}`);
      for (const w of this.#waiters) w.reject(e);
      this.#waiters = [];
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  #onMessage(m: FromLoad): void {
    if (m.type === "signal") {
      this.onSignal?.(m.from, m.payload);
      return;
    }
    if (m.type === "error") {
      const e = new Error(`load generator: ${m.message}`);
      for (const w of this.#waiters) w.reject(e);
      this.#waiters = [];
      return;
    }
    const i = this.#waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) this.#waiters.splice(i, 1)[0]!.resolve(m);
  }

  send(m: ToLoad): void {
    if (this.child.connected) this.child.send(m, () => {});
  }

  #wait<T extends FromLoad["type"]>(type: T, ms: number): Promise<Extract<FromLoad, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.resolve !== done);
        reject(new Error(`load generator: no ${type} within ${ms} ms\n${this.log.text()}`));
      }, ms);
      const done = (m: FromLoad) => {
        clearTimeout(timer);
        resolve(m as Extract<FromLoad, { type: T }>);
      };
      this.#waiters.push({
        type,
        resolve: done,
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  /** Sends `m` and resolves with the reply of kind `type` (without its `type` field). */
  async #ask<T extends FromLoad["type"]>(
    m: ToLoad,
    type: T,
    ms: number,
  ): Promise<Omit<Extract<FromLoad, { type: T }>, "type">> {
    const reply = this.#wait(type, ms);
    this.send(m);
    const { type: _, ...rest } = await reply;
    return rest;
  }

  publish(
    plan: LoadPlan,
    ms: number,
  ): Promise<{ feeds: [number, string][]; failures: string[]; ms: number }> {
    return this.#ask({ type: "publish", plan }, "published", ms);
  }

  async subscribe(feeds: [number, string][], ms: number): Promise<SetupResult> {
    return (await this.#ask({ type: "subscribe", feeds }, "ready", ms)).result;
  }

  measureStart(): void {
    this.send({ type: "measureStart" });
  }

  measureStop(): Promise<LoadMeasured> {
    return this.#ask({ type: "measureStop" }, "measured", 30_000);
  }

  lateJoins(plan: LateJoinPlan, ms: number): Promise<LateJoinOutcome> {
    return this.#ask({ type: "lateJoins", plan }, "lateJoined", ms);
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null) {
      const closed = this.#wait("closed", 15_000).catch(() => undefined);
      this.send({ type: "close" });
      await closed;
    }
    await stopChild(this.child, 3000);
  }
}
