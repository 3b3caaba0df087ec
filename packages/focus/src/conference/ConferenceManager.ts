// Routes conference inputs to one Conference per (room_id, conf_id); creates conferences on
// demand and ends them when their last participant is gone.
import type { CallEvent } from "@matrix-focus/protocol";
import type { Logger } from "pino";
import type { MediaOptions } from "../media/defaults.ts";
import { type Clock, systemClock } from "../util/Clock.ts";
import {
  type ConferenceLimits,
  type KeepAliveOptions,
  keepAliveDefaults,
  limitDefaults,
} from "./defaults.ts";
import type { FocusStats } from "./FocusStats.ts";
import { type ConferenceInput, conferenceKeyString, type DeviceRef } from "./inputs.ts";

export type { FocusStats } from "./FocusStats.ts";

/** How the conference layer sends call events; the Matrix side encodes and sends them to-device. */
export interface CallSignalling {
  sendCallEvent(to: DeviceRef, event: CallEvent): Promise<void>;
}

export interface ConferenceManagerOptions {
  /** The focus's own user and device (party_id and device_id of everything it sends). */
  focus: DeviceRef;
  signalling: CallSignalling;
  clock?: Clock;
  logger?: Logger;
  media?: Partial<MediaOptions>;
  keepAlive?: Partial<KeepAliveOptions>;
  limits?: Partial<ConferenceLimits>;
}

export class ConferenceManager {
  readonly #clock: Clock;
  readonly #keepAlive: KeepAliveOptions;
  readonly #limits: ConferenceLimits;
  readonly #conferences = new Map<string, ConferenceInput[]>();

  constructor(o: ConferenceManagerOptions) {
    this.#clock = o.clock ?? systemClock;
    this.#keepAlive = { ...keepAliveDefaults, ...o.keepAlive };
    this.#limits = { ...limitDefaults, ...o.limits };
  }

  /** Queues an input for its conference; never throws. */
  handle(input: ConferenceInput): void {
    const key = conferenceKeyString(input.conference);
    const list = this.#conferences.get(key) ?? [];
    list.push(input);
    this.#conferences.set(key, list);
  }

  stats(): FocusStats {
    return {
      conferences: this.#conferences.size,
      participants: 0,
      publishedTracks: 0,
      subscriptions: 0,
      packetsIn: 0,
      packetsOut: 0,
      bytesIn: 0,
      bytesOut: 0,
      nacksReceived: 0,
      nacksSent: 0,
      plisSent: 0,
      layerSwitches: 0,
      keyframesRequested: 0,
    };
  }

  /** True while a call with this call_id is known to the focus. */
  hasCall(_callId: string): boolean {
    void this.#clock;
    void this.#keepAlive;
    void this.#limits;
    return false;
  }

  /** Hangs up every call and closes every conference. Idempotent. */
  async close(): Promise<void> {
    this.#conferences.clear();
  }
}
