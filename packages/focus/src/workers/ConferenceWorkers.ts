// The conference layer spread over worker threads, one per core: each worker runs a real
// ConferenceManager (conferences and their werift media plane) on its own event loop. This
// class has the surface of ConferenceManager (ConferenceLayer) for the rest of the focus.
//
// Routing: each conference is placed on a worker on its first input and its later inputs go
// there; with `spreadAbove`, a conference with that many devices on a worker takes further
// devices on another worker, and its parts link like foci (Placement.ts, routeInput.ts,
// SiblingLinks.ts). Call events the workers send come back by message and go out through the
// real signalling, or to the sibling worker they are meant for. m.call.connect_to_focus is
// decided on this thread (linkVerdict.ts).
//
// Reads (stats, dump, links, hasCall) are synchronous: they are served from the snapshots the
// workers post after new input and every snapshotIntervalMs (250 ms), which is safe for each
// reader (docs/decisions/focus-workers.md); idle() refreshes them, for tests.
//
// A worker that crashes is logged with its reason; the calls it held are gone (the devices
// call again, landing on a live worker), input for its conferences is logged and dropped, and
// a replacement starts after a back-off.
import { Worker } from "node:worker_threads";
import { pino } from "pino";
import type {
  CallSignalling,
  ConferenceDump,
  ConferenceLinks,
  ConferenceManagerOptions,
  FocusStats,
} from "../conference/ConferenceManager.ts";
import {
  type ConferenceInput,
  conferenceKeyString,
  deviceKeyString,
} from "../conference/inputs.ts";
import { newMediaCounters } from "../media/MediaCounters.ts";
import type { Logger, LogLevel } from "../observability/logger.ts";
import type { ConferenceLayer } from "./ConferenceLayer.ts";
import { workerDefaults } from "./defaults.ts";
import { answerVerdict } from "./linkVerdict.ts";
import type { FromWorker, ToWorker, WorkerSnapshot } from "./messages.ts";
import { Placement, splitPortRange } from "./Placement.ts";
import { type Routed, routeInput } from "./routeInput.ts";
import { SiblingLinks } from "./SiblingLinks.ts";
import { logDestination, notRouted, workerSetup } from "./setup.ts";
import { newSlot, type Slot } from "./slot.ts";
import { addCounters } from "./stats.ts";
import { mergedLinks, mergedStats } from "./views.ts";

const entry = new URL("./conferenceWorker.ts", import.meta.url);

export interface ConferenceWorkersOptions extends Omit<ConferenceManagerOptions, "clock"> {
  /** How many worker threads (>= 1). */
  workers: number;
  /** Devices of one conference on one worker before it spreads to another; 0 = never. */
  spreadAbove?: number;
}

export class ConferenceWorkers implements ConferenceLayer {
  readonly #o: ConferenceWorkersOptions;
  readonly #log: Logger;
  readonly #signalling: CallSignalling;
  readonly #placement: Placement;
  readonly #slots: Slot[];
  readonly #portRanges: [number, number][] | undefined;
  readonly #logStream: { write(line: string): unknown }; // where worker log lines go
  /** Counters of workers that crashed, so that the focus's counters never go down. */
  readonly #retired = newMediaCounters();
  readonly #siblings: SiblingLinks;
  #nextId = 0;
  #closing: Promise<void> | undefined;

  private constructor(o: ConferenceWorkersOptions) {
    if (!Number.isInteger(o.workers) || o.workers < 1) {
      throw new Error(`workers must be a whole number >= 1, got ${o.workers}`);
    }
    this.#o = o;
    this.#log = o.logger ?? pino({ level: "silent" });
    this.#signalling = o.signalling;
    this.#placement = new Placement(o.workers, workerDefaults);
    const range = o.media?.portRange;
    this.#portRanges = range ? splitPortRange(range, o.workers) : undefined;
    this.#logStream = logDestination(this.#log);
    this.#slots = Array.from({ length: o.workers }, (_, index) => newSlot(index));
    this.#siblings = new SiblingLinks({
      me: o.focus,
      workers: o.workers,
      spread: () => this.#placement.spread(),
      linksOf: (w) => this.#slots[w]?.snapshot?.links ?? [],
      post: (w, input) => this.#postInput(w, input),
      logger: this.#log,
    });
  }

  /** Starts `o.workers` workers; resolves once every one is ready, rejects if one fails. */
  static async start(o: ConferenceWorkersOptions): Promise<ConferenceWorkers> {
    const layer = new ConferenceWorkers(o);
    try {
      await Promise.all(layer.#slots.map((s) => layer.#spawn(s)));
    } catch (err) {
      await layer.close();
      throw err;
    }
    layer.#log.info({ workers: o.workers }, "conference workers running");
    return layer;
  }

  /** How many worker slots (running or being replaced). */
  get size(): number {
    return this.#slots.length;
  }

  /** The worker serving a conference, if it is placed (for tests and logs). */
  workerOf(conference: ConferenceInput["conference"]): number | undefined {
    return this.#placement.workerOf(conferenceKeyString(conference));
  }

  /** The workers serving parts of a conference, its home first (for tests and logs). */
  partsOf(conference: ConferenceInput["conference"]): number[] {
    return this.#placement.partsOf(conferenceKeyString(conference));
  }

  #spawn(slot: Slot): Promise<void> {
    const level = (this.#log.level ?? "silent") as LogLevel;
    const portRange = this.#portRanges?.[slot.index];
    const setup = workerSetup(this.#o, slot.index, level, portRange, slot.verdictBuffer);
    const worker = new Worker(entry, {
      workerData: setup,
      name: `focus-worker-${slot.index}`,
    });
    slot.worker = worker;
    slot.lastError = undefined;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        if (ready) return;
        reject(new Error(`conference worker ${slot.index} did not start in time`));
        void worker.terminate();
      }, workerDefaults.startTimeoutMs);
      worker.on("message", (m: FromWorker) => {
        if (m.type === "ready") {
          ready = true;
          clearTimeout(timer);
          slot.failures = 0;
          this.#placement.workerUp(slot.index);
          resolve();
        } else this.#onMessage(slot, m);
      });
      worker.on("error", (err) => {
        slot.lastError = err.stack ?? String(err);
      });
      worker.on("messageerror", (err) => {
        this.#log.error(
          { worker: slot.index, err: String(err) },
          "a worker message was unreadable",
        );
      });
      worker.on("exit", (code) => {
        clearTimeout(timer);
        if (slot.worker !== worker) return;
        slot.worker = undefined;
        if (!ready) {
          const why = slot.lastError ?? `exit code ${code}`;
          reject(new Error(`conference worker ${slot.index} failed to start: ${why}`));
        }
        this.#exited(slot, code);
      });
    });
  }

  #onMessage(slot: Slot, m: FromWorker): void {
    switch (m.type) {
      case "log":
        this.#logStream.write(m.line);
        break;
      case "snapshot":
        this.#onSnapshot(slot, m.snapshot);
        break;
      case "send": {
        if (m.event.kind === "hangup") {
          this.#placement.callEnded(slot.index, deviceKeyString(m.to), m.event.content.call_id);
        }
        const sibling = this.#siblings.deliver(slot.index, m.to, m.event);
        if (sibling) {
          // a hangup to a part that is gone (ended, or its worker stopped) has nothing to end
          const ok = this.#postInput(sibling.worker, sibling.input) || m.event.kind === "hangup";
          const error = `the conference has no part on worker ${sibling.worker}`;
          this.#post(slot, { type: "sent", id: m.id, ...(ok ? {} : { error }) });
          break;
        }
        this.#signalling.sendCallEvent(m.to, m.event).then(
          () => this.#post(slot, { type: "sent", id: m.id }),
          (err: unknown) => this.#post(slot, { type: "sent", id: m.id, error: String(err) }),
        );
        break;
      }
      case "linkAsked": {
        let verdict: string;
        try {
          verdict = this.#o.linkRequested?.(m.conference, m.focus) ?? "this focus does not link";
        } catch (err) {
          verdict = `the link could not be decided: ${String(err)}`;
        }
        answerVerdict(slot.verdictBuffer, m.id, verdict);
        break;
      }
      case "idled":
        slot.idleWaiters.get(m.id)?.();
        slot.idleWaiters.delete(m.id);
        break;
      case "closed":
        slot.closed?.();
        break;
      case "ready":
        break;
    }
  }

  #onSnapshot(slot: Slot, snapshot: WorkerSnapshot): void {
    slot.snapshot = snapshot;
    slot.callIds = new Set(snapshot.dump.flatMap((c) => c.participants.map((p) => p.callId)));
    const counts = snapshot.dump.map((c) => ({
      key: conferenceKeyString({ roomId: c.roomId, confId: c.confId }),
      participants: c.participants.length,
      callIds: c.participants.map((p) => p.callId),
    }));
    const now = Date.now();
    this.#placement.snapshot(slot.index, snapshot.seq, counts, now);
    if (!this.#closing) this.#siblings.check(now);
  }

  /** Hands an input to part `w` of its conference (a sibling link's); false if it cannot. */
  #postInput(w: number, input: ConferenceInput): boolean {
    const key = conferenceKeyString(input.conference);
    const route = this.#placement.routeTo(key, w, Date.now());
    if (route.to !== "worker") return false;
    return this.#post(this.#slots[w] as Slot, { type: "input", seq: route.seq, input });
  }

  #post(slot: Slot, m: ToWorker): boolean {
    if (slot.worker === undefined) return false;
    try {
      slot.worker.postMessage(m);
      return true;
    } catch (err) {
      this.#log.error(
        { worker: slot.index, type: m.type, err: String(err) },
        "could not post to a worker",
      );
      return false;
    }
  }

  #exited(slot: Slot, code: number): void {
    slot.closed?.();
    for (const done of slot.idleWaiters.values()) done();
    slot.idleWaiters.clear();
    if (slot.snapshot) addCounters(this.#retired, slot.snapshot.stats);
    slot.snapshot = undefined;
    slot.callIds = new Set();
    const held = this.#placement.conferencesOf(slot.index).length;
    const lost = this.#placement.workerDown(slot.index, Date.now());
    if (this.#closing) return;
    const delay = Math.min(
      workerDefaults.restartMaxMs,
      workerDefaults.restartInitialMs * 2 ** slot.failures,
    );
    slot.failures++;
    this.#log.error(
      {
        worker: slot.index,
        reason: slot.lastError ?? `exit code ${code}`,
        conferencesLost: lost.length,
        partsLost: held - lost.length, // of spread conferences, which go on elsewhere
        restartInMs: delay,
      },
      "a conference worker stopped; the calls it held are gone",
    );
    slot.restart = setTimeout(() => {
      slot.restart = undefined;
      if (this.#closing) return;
      this.#spawn(slot).then(
        () => this.#log.info({ worker: slot.index }, "conference worker replaced"),
        (err: unknown) =>
          this.#log.error({ worker: slot.index, err: String(err) }, "replacing a worker failed"),
      );
    }, delay);
  }

  handle(input: ConferenceInput): void {
    if (this.#closing) return;
    const routes = routeInput(this.#placement, input, this.#o.spreadAbove ?? 0, Date.now());
    for (const route of routes) this.#dispatch(input, route);
  }

  #dispatch(input: ConferenceInput, route: Routed): void {
    if (route.to !== "worker") {
      const [level, why] = notRouted[route.to];
      this.#log[level]({ conference: input.conference, kind: input.kind }, why);
      return;
    }
    if (route.placed) {
      const parts = this.#placement.partsOf(conferenceKeyString(input.conference));
      this.#log.info(
        { conference: input.conference, worker: route.worker, parts },
        parts.length > 1 ? "conference spread to another worker" : "conference placed on a worker",
      );
    }
    const slot = this.#slots[route.worker] as Slot;
    this.#post(slot, { type: "input", seq: route.seq, input: route.input ?? input });
  }

  stats(): FocusStats {
    const total = mergedStats(this.#slots.flatMap((s) => (s.snapshot ? [s.snapshot] : [])));
    addCounters(total, this.#retired);
    return total;
  }

  /** Each worker's conferences (a spread one once per part) with the worker. */
  dump(): ConferenceDump[] {
    return this.#slots.flatMap((s) =>
      (s.snapshot?.dump ?? []).map((d) => ({ ...d, worker: s.index })),
    );
  }

  links(): ConferenceLinks[] {
    return mergedLinks(
      this.#slots.map((s) => s.snapshot),
      (key) => this.#placement.workerOf(key),
    );
  }

  hasCall(callId: string): boolean {
    return this.#slots.some((s) => s.callIds.has(callId));
  }

  /** Per worker: its index and its last snapshot's figures (for tests and the benchmark). */
  perWorker(): { worker: number; running: boolean; stats: FocusStats | undefined }[] {
    return this.#slots.map((s) => ({
      worker: s.index,
      running: s.worker !== undefined,
      stats: s.snapshot?.stats,
    }));
  }

  /** Ends worker `index` abruptly, as a crash would (its replacement starts after a back-off). */
  async stopWorker(index: number): Promise<void> {
    const slot = this.#slots[index];
    if (slot?.worker === undefined) return;
    slot.lastError = "stopped abruptly (stopWorker)";
    await slot.worker.terminate();
  }

  /** Resolves once every worker has handled what was queued so far; refreshes the snapshots. */
  async idle(): Promise<void> {
    await Promise.all(
      this.#slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            const id = ++this.#nextId;
            slot.idleWaiters.set(id, resolve);
            if (!this.#post(slot, { type: "idle", id })) {
              slot.idleWaiters.delete(id);
              resolve();
            }
          }),
      ),
    );
  }

  close(): Promise<void> {
    this.#closing ??= Promise.all(this.#slots.map((s) => this.#closeSlot(s))).then(() => {
      this.#log.info("conference workers stopped");
    });
    return this.#closing;
  }

  async #closeSlot(slot: Slot): Promise<void> {
    clearTimeout(slot.restart);
    const worker = slot.worker;
    if (worker === undefined) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, workerDefaults.closeTimeoutMs);
      slot.closed = () => {
        clearTimeout(timer);
        resolve();
      };
      if (!this.#post(slot, { type: "close" })) resolve();
    });
    await worker.terminate();
  }
}
