// What a Conference is built with.
import type { Logger } from "pino";
import type { MediaOptions } from "../media/defaults.ts";
import type { MediaCounters } from "../media/MediaCounters.ts";
import type { Clock } from "../util/Clock.ts";
import type { CallSignalling } from "./ConferenceManager.ts";
import type { ConferenceLimits, KeepAliveOptions, NegotiationTimings } from "./defaults.ts";
import type { ConferenceKey, DeviceRef } from "./inputs.ts";

export interface ConferenceOptions {
  key: ConferenceKey;
  focus: DeviceRef;
  signalling: CallSignalling;
  clock: Clock;
  logger: Logger;
  media: MediaOptions;
  keepAlive: KeepAliveOptions;
  limits: ConferenceLimits;
  negotiation: NegotiationTimings;
  counters: MediaCounters;
  /** Called (from the queue) once the last participant is gone. */
  emptied: () => void;
  /** Cascading: lifetime of the invites of link calls this focus places, ms. */
  linkInviteLifetimeMs?: number;
  /** Cascading: asks for a link to `focus` (m.call.connect_to_focus); returns a refusal text. */
  linkRequested?: (conference: ConferenceKey, focus: DeviceRef) => string | undefined;
}
