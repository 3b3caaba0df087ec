// One media worker thread: a real ConferenceManager (conferences and their werift media plane)
// driven by messages from the main thread (ConferenceWorkers). Call events it sends go back to
// the main thread, which sends them through the Matrix signalling; log lines go back too and
// are written by the main thread's logger destination. Time is the system clock (a Clock
// cannot cross threads).
import { parentPort, workerData } from "node:worker_threads";
import { pino } from "pino";
import { type CallSignalling, ConferenceManager } from "../conference/ConferenceManager.ts";
import { areaLogger } from "../observability/logger.ts";
import { LinkVerdictAsker } from "./linkVerdict.ts";
import type { FromWorker, ToWorker, WorkerSetup } from "./messages.ts";

const port = parentPort;
if (port === null) throw new Error("conferenceWorker.ts runs as a worker thread only");
const setup = workerData as WorkerSetup;
const post = (m: FromWorker) => port.postMessage(m);

const log = pino(
  { level: setup.logLevel, base: { worker: setup.index } },
  { write: (line: string) => post({ type: "log", line }) },
);

const sends = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
let nextSend = 0;
const signalling: CallSignalling = {
  sendCallEvent: (to, event) =>
    new Promise<void>((resolve, reject) => {
      const id = ++nextSend;
      sends.set(id, { resolve, reject });
      post({ type: "send", id, to, event });
    }),
};

const asker = new LinkVerdictAsker(setup.verdictBuffer, setup.linkVerdictTimeoutMs);
const manager = new ConferenceManager({
  ...setup.manager,
  signalling,
  logger: areaLogger(log, "conference"),
  ...(setup.askLinks
    ? {
        linkRequested: (conference, focus) =>
          asker.ask((id) => post({ type: "linkAsked", id, conference, focus })),
      }
    : {}),
});

let seq = 0;
function postSnapshot(): void {
  post({
    type: "snapshot",
    snapshot: { seq, stats: manager.stats(), dump: manager.dump(), links: manager.links() },
  });
}

// After new input: one snapshot once the input was taken (conferences started), and one once
// every conference has handled it (calls answered, links placed), coalesced.
let scheduled = false;
let waitingIdle = false;
let dirtyIdle = false;
function changed(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    postSnapshot();
    afterIdle();
  });
}
function afterIdle(): void {
  if (waitingIdle) {
    dirtyIdle = true;
    return;
  }
  waitingIdle = true;
  void manager.idle().then(() => {
    waitingIdle = false;
    postSnapshot();
    if (dirtyIdle) {
      dirtyIdle = false;
      afterIdle();
    }
  });
}

const timer = setInterval(postSnapshot, setup.snapshotIntervalMs);

port.on("message", (m: ToWorker) => {
  switch (m.type) {
    case "input":
      seq = m.seq;
      manager.handle(m.input);
      changed();
      break;
    case "sent": {
      const waiter = sends.get(m.id);
      sends.delete(m.id);
      if (m.error === undefined) waiter?.resolve();
      else waiter?.reject(new Error(m.error));
      break;
    }
    case "idle":
      void manager.idle().then(() => {
        postSnapshot();
        post({ type: "idled", id: m.id });
      });
      break;
    case "close":
      clearInterval(timer);
      void manager.close().then(() => {
        postSnapshot();
        post({ type: "closed" });
      });
      break;
  }
});

post({ type: "ready" });
postSnapshot();
