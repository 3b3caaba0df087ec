// What the main thread and a conference worker say to each other (structured clone).
import type { CallEvent } from "@matrix-focus/protocol";
import type {
  ConferenceDump,
  ConferenceLinks,
  ConferenceManagerOptions,
  FocusStats,
} from "../conference/ConferenceManager.ts";
import type { ConferenceInput, ConferenceKey, DeviceRef } from "../conference/inputs.ts";
import type { LogLevel } from "../observability/logger.ts";

/** A worker's view of its conferences, posted on change and on a timer. */
export interface WorkerSnapshot {
  /** The last input (by sequence number) the worker had received when it took this. */
  seq: number;
  stats: FocusStats;
  dump: ConferenceDump[];
  links: ConferenceLinks[];
}

/** What a worker is started with (workerData). */
export interface WorkerSetup {
  index: number;
  logLevel: LogLevel;
  manager: Pick<
    ConferenceManagerOptions,
    "focus" | "media" | "keepAlive" | "limits" | "negotiation" | "linkInviteLifetimeMs"
  >;
  /** Whether m.call.connect_to_focus is put to the main thread (else refused in the worker). */
  askLinks: boolean;
  /** Shared with the main thread for the synchronous link verdict (linkVerdict.ts). */
  verdictBuffer: SharedArrayBuffer;
  linkVerdictTimeoutMs: number;
  snapshotIntervalMs: number;
}

export type ToWorker =
  | { type: "input"; seq: number; input: ConferenceInput }
  | { type: "sent"; id: number; error?: string }
  | { type: "idle"; id: number }
  | { type: "close" };

export type FromWorker =
  | { type: "ready" }
  | { type: "snapshot"; snapshot: WorkerSnapshot }
  | { type: "send"; id: number; to: DeviceRef; event: CallEvent }
  | { type: "idled"; id: number }
  | { type: "log"; line: string }
  | { type: "linkAsked"; id: number; conference: ConferenceKey; focus: DeviceRef }
  | { type: "closed" };
