// Routes conference inputs to one Conference per (room_id, conf_id); creates conferences on
// demand and ends them when their last participant is gone. The Matrix side feeds it
// validated, authorised call events and sends what it emits through CallSignalling.
import type { CallEvent } from "@matrix-focus/protocol";
import pino, { type Logger } from "pino";
import { type MediaOptions, mediaOptions } from "../media/defaults.ts";
import { type MediaCounters, newMediaCounters } from "../media/MediaCounters.ts";
import { type Clock, systemClock } from "../util/Clock.ts";
import { Conference, type LinkView } from "./Conference.ts";
import {
  type ConferenceLimits,
  type KeepAliveOptions,
  keepAliveDefaults,
  limitDefaults,
  type NegotiationTimings,
  negotiationDefaults,
} from "./defaults.ts";
import type { ConferenceDump } from "./dump.ts";
import type { FocusStats } from "./FocusStats.ts";
import {
  type ConferenceInput,
  type ConferenceKey,
  conferenceKeyString,
  type DeviceRef,
} from "./inputs.ts";
import { readLoopTimes } from "./loopTimes.ts";

export type { LinkView } from "./Conference.ts";
export type { ConferenceDump, ParticipantDump, PublicationDump } from "./dump.ts";
export type { FocusStats } from "./FocusStats.ts";

/** Cascading: a conference with its link calls and how many devices it serves here. */
export interface ConferenceLinks {
  conference: ConferenceKey;
  localParticipants: number;
  links: LinkView[];
}

/** How the conference layer sends call events; the Matrix side encodes and sends them to-device. */
export interface CallSignalling {
  sendCallEvent(to: DeviceRef, event: CallEvent): Promise<void>;
}

export interface ConferenceManagerOptions {
  /** The focus's own user and device (party_id and device_id of everything it sends). */
  focus: DeviceRef;
  signalling: CallSignalling;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: a silent logger. */
  logger?: Logger;
  /** Media options (defaults in media/defaults.ts). */
  media?: Partial<MediaOptions>;
  /** Keep-alive options (defaults in conference/defaults.ts). */
  keepAlive?: Partial<KeepAliveOptions>;
  /** Limits (defaults in conference/defaults.ts). */
  limits?: Partial<ConferenceLimits>;
  /** Renegotiation timing (defaults in conference/defaults.ts). */
  negotiation?: Partial<NegotiationTimings>;
  /** Cascading: lifetime of the invites of link calls this focus places, ms. */
  linkInviteLifetimeMs?: number;
  /** Cascading: m.call.connect_to_focus asks for a link; "" = accepted, else why not. */
  linkRequested?: (conference: ConferenceKey, focus: DeviceRef) => string;
}

export class ConferenceManager {
  readonly #o: ConferenceManagerOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #media: MediaOptions;
  readonly #keepAlive: KeepAliveOptions;
  readonly #limits: ConferenceLimits;
  readonly #negotiation: NegotiationTimings;
  readonly #counters: MediaCounters = newMediaCounters();
  readonly #conferences = new Map<string, Conference>();
  /** Candidates for conferences without a call yet, by conference key: replayed before the invite. */
  readonly #early = new Map<string, { at: number; input: ConferenceInput }[]>();
  #earlyCount = 0;
  #closed = false;

  constructor(o: ConferenceManagerOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#log = o.logger ?? pino({ level: "silent" });
    this.#media = mediaOptions(o.media);
    this.#keepAlive = { ...keepAliveDefaults, ...o.keepAlive };
    this.#limits = { ...limitDefaults, ...o.limits };
    this.#negotiation = { ...negotiationDefaults, ...o.negotiation };
  }

  /** Queues an input for its conference; never throws. */
  handle(input: ConferenceInput): void {
    if (this.#closed) return;
    const key = conferenceKeyString(input.conference);
    let conf = this.#conferences.get(key);
    if (!conf) {
      if (input.kind === "callEventReceived" && input.event.kind === "candidates") {
        this.#keepEarly(key, input);
        return;
      }
      if (input.kind !== "callEventReceived" || input.event.kind !== "invite") {
        this.#log.debug(
          { kind: input.kind, conference: input.conference },
          "input for a conference without calls ignored",
        );
        return;
      }
      const created: Conference = new Conference({
        key: input.conference,
        focus: this.#o.focus,
        signalling: this.#o.signalling,
        clock: this.#clock,
        logger: this.#log.child({
          roomId: input.conference.roomId,
          confId: input.conference.confId,
        }),
        media: this.#media,
        keepAlive: this.#keepAlive,
        limits: this.#limits,
        negotiation: this.#negotiation,
        counters: this.#counters,
        ...(this.#o.linkInviteLifetimeMs !== undefined
          ? { linkInviteLifetimeMs: this.#o.linkInviteLifetimeMs }
          : {}),
        ...(this.#o.linkRequested ? { linkRequested: this.#o.linkRequested } : {}),
        emptied: () => {
          if (this.#conferences.get(key) === created && created.participantCount === 0) {
            this.#conferences.delete(key);
            this.#log.info({ conference: input.conference }, "conference ended");
          }
        },
      });
      conf = created;
      this.#conferences.set(key, conf);
      this.#log.info({ conference: input.conference }, "conference started");
      for (const early of this.#takeEarly(key)) void conf.handle(early);
    }
    void conf.handle(input);
  }

  #keepEarly(key: string, input: ConferenceInput): void {
    const now = this.#clock.now();
    for (const [k, list] of this.#early) {
      const fresh = list.filter((e) => now - e.at <= this.#limits.earlyCandidatesTtlMs);
      this.#earlyCount -= list.length - fresh.length;
      if (fresh.length === 0) this.#early.delete(k);
      else this.#early.set(k, fresh);
    }
    if (this.#earlyCount >= this.#limits.maxEarlyCandidateEvents) {
      this.#log.debug({ conference: input.conference }, "too many early candidates: dropped");
      return;
    }
    const list = this.#early.get(key) ?? [];
    list.push({ at: now, input });
    this.#early.set(key, list);
    this.#earlyCount++;
  }

  #takeEarly(key: string): ConferenceInput[] {
    const list = this.#early.get(key) ?? [];
    this.#early.delete(key);
    this.#earlyCount -= list.length;
    const now = this.#clock.now();
    return list.filter((e) => now - e.at <= this.#limits.earlyCandidatesTtlMs).map((e) => e.input);
  }

  /** Resolves once every conference has handled what was queued so far (for tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.#conferences.values()].map((c) => c.idle()));
  }

  stats(): FocusStats {
    let participants = 0;
    let publishedTracks = 0;
    let subscriptions = 0;
    const loop = readLoopTimes();
    for (const c of this.#conferences.values()) {
      participants += c.participantCount;
      publishedTracks += c.publicationCount;
      subscriptions += c.subscriptionCount;
    }
    return {
      conferences: this.#conferences.size,
      conferenceParts: this.#conferences.size,
      participants,
      publishedTracks,
      subscriptions,
      ...this.#counters,
      loopActiveMs: loop.active,
      loopIdleMs: loop.idle,
    };
  }

  /** A JSON snapshot of every conference (debugging, tests). */
  dump(): ConferenceDump[] {
    return [...this.#conferences.values()].map((c) => c.dump());
  }

  /** Cascading: every conference with its link calls. */
  links(): ConferenceLinks[] {
    return [...this.#conferences.values()].map((c) => ({
      conference: c.key,
      localParticipants: c.localParticipantCount,
      links: c.links(),
    }));
  }

  /** True while a call with this call_id is known to the focus. */
  hasCall(callId: string): boolean {
    for (const c of this.#conferences.values()) if (c.hasCall(callId)) return true;
    return false;
  }

  /** Hangs up every call (focus_shutdown) and closes every conference. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#early.clear();
    this.#earlyCount = 0;
    const all = [...this.#conferences.values()];
    this.#conferences.clear();
    await Promise.all(all.map((c) => c.close()));
  }
}
