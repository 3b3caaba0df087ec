// Takes the to-device messages of each /sync, and hands the call events that pass every check
// to the conference layer: rate limit, schema (protocol), staleness, conference resolution,
// authorisation (auth/), per-user call limit, and for follow-ups the caller's party_id.
// Refused invites get an m.call.hangup with a reason code; everything else that fails is
// logged and ignored, so that bad input never ends a call (protocol.md "Rules ... [ours]").
import {
  type CallEvent,
  type CallEventKind,
  CallEventNames,
  type CallMembership,
  HangupReason,
  type HangupReasonCode,
  isMembershipCurrent,
  lookUpName,
  membershipNamesFocus,
  parseCallEvent,
} from "@matrix-focus/protocol";
import type { Logger } from "pino";
import { authoriseCaller, type MembershipRules } from "../auth/authorise.ts";
import { authoriseLink } from "../auth/authoriseLink.ts";
import type { RateLimiter } from "../auth/RateLimiter.ts";
import type { CallSignalling } from "../conference/ConferenceManager.ts";
import type { ConferenceInput, DeviceRef } from "../conference/inputs.ts";
import type { Clock } from "../util/Clock.ts";
import type { CallRegistry } from "./CallRegistry.ts";
import { resolveConference } from "./conferenceResolver.ts";
import { buildHangup } from "./hangup.ts";
import type { RoomStateTracker } from "./RoomStateTracker.ts";
import { inviteExpiry, invitesHungUpLater } from "./staleFilter.ts";
import type { ToDeviceEvent } from "./syncTypes.ts";

const membershipRules: MembershipRules<CallMembership> = {
  isCurrent: isMembershipCurrent,
  namesFocus: membershipNamesFocus,
};

/** Why a message was ignored (a metric label). */
export type IgnoredWhy =
  | "not_a_call_event"
  | "malformed"
  | "unknown_call"
  | "foreign_sender"
  | "foreign_party"
  | "duplicate_invite"
  | "hung_up_in_backlog"
  | "rate_limited";

export interface InboxObserver {
  received?(type: string): void;
  refused?(reason: HangupReasonCode): void;
  ignored?(why: IgnoredWhy): void;
}

export interface CallEventInboxOptions {
  focus: DeviceRef;
  /** The focus's session id, sent as sender_session_id in refusals. */
  sessionId: string;
  rooms: RoomStateTracker;
  calls: CallRegistry;
  limiter: RateLimiter;
  conferences: { handle(input: ConferenceInput): void };
  signalling: CallSignalling;
  clock: Clock;
  logger: Logger;
  allowedHomeservers: readonly string[];
  maxInviteAgeMs: number;
  maxCallsPerUser: number;
  /** At most one rate_limited refusal per user per this interval, ms. */
  rateLimitReplyIntervalMs: number;
  observer?: InboxObserver;
}

type Parsed = { ev: ToDeviceEvent; event: CallEvent };

export class CallEventInbox {
  readonly #o: CallEventInboxOptions;
  readonly #log: Logger;
  /** user id -> when the last rate_limited refusal was sent. */
  readonly #rateLimitReplies = new Map<string, number>();

  constructor(o: CallEventInboxOptions) {
    this.#o = o;
    this.#log = o.logger;
  }

  /** Handles the to-device messages of one sync response, in order. */
  handleBatch(events: readonly ToDeviceEvent[], backlog: boolean): void {
    const kinds = events.map((ev) => this.#kindOf(ev));
    const skipped = invitesHungUpLater(
      events.map((ev, i) => ({ kind: kinds[i], sender: ev.sender, callId: callIdOf(ev) })),
    );
    events.forEach((ev, i) => {
      try {
        this.#handle(ev, kinds[i], skipped.has(i), backlog);
      } catch (err) {
        this.#log.error({ err, type: ev.type, sender: ev.sender }, "failed to handle a message");
      }
    });
  }

  #kindOf(ev: ToDeviceEvent): CallEventKind | undefined {
    return typeof ev.type === "string" ? lookUpName(CallEventNames, ev.type) : undefined;
  }

  #handle(ev: ToDeviceEvent, kind: CallEventKind | undefined, skip: boolean, backlog: boolean) {
    // Only known types become metric labels: the type is chosen by the sender.
    this.#o.observer?.received?.(kind === undefined ? "other" : ev.type);
    if (kind === undefined) return this.#ignore("not_a_call_event", ev, "not a call event");
    // The rate limit comes first, so that a flood of any kind costs no parsing or log lines.
    if (!this.#o.limiter.tryTake(ev.sender)) return this.#overLimit(ev, kind);
    const parsed = parseCallEvent(ev.type, ev.content);
    if (!parsed.ok) {
      return this.#ignore("malformed", ev, "malformed call event", {
        issues: parsed.error.issues,
      });
    }
    const msg: Parsed = { ev, event: parsed.value };
    if (kind === "invite") return this.#invite(msg, skip, backlog);
    return this.#followUp(msg);
  }

  /** One rate_limited refusal per user per interval: a flood must not make us flood back. */
  #overLimit(ev: ToDeviceEvent, kind: CallEventKind): void {
    const now = this.#o.clock.now();
    const last = this.#rateLimitReplies.get(ev.sender);
    const reply = last === undefined || now - last >= this.#o.rateLimitReplyIntervalMs;
    const parsed = kind === "invite" && reply ? parseCallEvent(ev.type, ev.content) : undefined;
    if (parsed?.ok) {
      if (this.#rateLimitReplies.size > 1024) this.#forgetOldReplies(now);
      this.#rateLimitReplies.set(ev.sender, now);
      this.#refuse({ ev, event: parsed.value }, HangupReason.rateLimited, "too many messages");
      return;
    }
    this.#ignore("rate_limited", ev, "too many messages", { callId: callIdOf(ev) });
  }

  #invite(msg: Parsed, skip: boolean, backlog: boolean) {
    const { ev, event } = msg;
    if (event.kind !== "invite") return;
    const c = event.content;
    const now = this.#o.clock.now();
    if (this.#o.calls.get(c.call_id, now) !== undefined) {
      return this.#ignore("duplicate_invite", ev, "a call with this call_id exists", {
        callId: c.call_id,
      });
    }
    if (skip) {
      return this.#ignore("hung_up_in_backlog", ev, "the caller hung up later in the batch", {
        callId: c.call_id,
        backlog,
      });
    }
    const expired = inviteExpiry(c, now, this.#o.maxInviteAgeMs);
    if (expired !== undefined) return this.#refuse(msg, HangupReason.inviteExpired, expired);
    const sender = { userId: ev.sender, deviceId: c.device_id };
    const resolved = resolveConference(c, ev.sender, this.#o.rooms);
    const room = resolved.ok ? this.#o.rooms.view(resolved.conference.roomId) : undefined;
    const facts = {
      sender,
      confId: c.conf_id,
      room,
      focus: this.#o.focus,
      allowedHomeservers: this.#o.allowedHomeservers,
      now,
    };
    let decision: { allowed: true } | ReturnType<typeof authoriseLink> = authoriseCaller(
      facts,
      membershipRules,
    );
    // A caller without a membership may be another focus of the conference asking for a link.
    const link =
      !decision.allowed &&
      decision.reason === HangupReason.notAMember &&
      authoriseLink({ ...facts, isCurrent: (m) => isMembershipCurrent(m, now) }).allowed;
    if (link) decision = { allowed: true };
    if (!decision.allowed) {
      const detail = resolved.ok ? decision.detail : resolved.detail;
      return this.#refuse(msg, decision.reason, detail);
    }
    if (!resolved.ok) return; // authorisation refuses an unresolved conference
    if (!link && this.#o.calls.countForUser(sender.userId, now) >= this.#o.maxCallsPerUser) {
      return this.#refuse(msg, HangupReason.capacity, "the user has too many calls");
    }
    this.#o.calls.add({
      callId: c.call_id,
      caller: sender,
      partyId: c.party_id,
      callerSessionId: c.sender_session_id,
      roomIdInMessages: c.room_id !== undefined,
      conference: resolved.conference,
      acceptedAt: now,
      ...(link ? { link } : {}),
    });
    this.#log.info(
      { callId: c.call_id, sender, conference: resolved.conference, backlog, link },
      link ? "link call accepted" : "call accepted",
    );
    this.#o.conferences.handle({
      kind: "callEventReceived",
      conference: resolved.conference,
      sender,
      event,
      ...(link ? { link } : {}),
    });
  }

  #followUp(msg: Parsed) {
    const { ev, event } = msg;
    const c = event.content;
    const call = this.#o.calls.get(c.call_id, this.#o.clock.now());
    if (call === undefined) {
      return this.#ignore("unknown_call", ev, "no such call", { callId: c.call_id });
    }
    if (call.caller.userId !== ev.sender || call.caller.deviceId !== c.device_id) {
      return this.#ignore("foreign_sender", ev, "the call was placed by another device", {
        callId: c.call_id,
      });
    }
    if (call.partyId !== c.party_id) {
      return this.#ignore("foreign_party", ev, "party_id differs from the caller's", {
        callId: c.call_id,
        partyId: c.party_id,
      });
    }
    if (event.kind === "hangup") this.#o.calls.remove(c.call_id);
    this.#o.conferences.handle({
      kind: "callEventReceived",
      conference: call.conference,
      sender: call.caller,
      event,
    });
  }

  /**
   * Hangs up every accepted call the conference layer still serves, with `reason`
   * (used when the focus stops). Resolves when every hangup was sent or failed.
   */
  async hangUpAll(reason: HangupReasonCode, isLive: (callId: string) => boolean): Promise<void> {
    const calls = this.#o.calls.all().filter((call) => isLive(call.callId));
    await Promise.allSettled(
      calls.map(async (call) => {
        this.#o.calls.remove(call.callId);
        const hangup = buildHangup({
          callId: call.callId,
          confId: call.conference.confId,
          roomId: call.roomIdInMessages ? call.conference.roomId : undefined,
          focus: this.#o.focus,
          sessionId: this.#o.sessionId,
          destSessionId: call.callerSessionId,
          reason,
          now: this.#o.clock.now(),
        });
        try {
          await this.#o.signalling.sendCallEvent(call.caller, hangup);
          this.#log.info({ callId: call.callId, reason }, "call hung up");
        } catch (err) {
          this.#log.warn({ err: String(err), callId: call.callId }, "could not send the hangup");
        }
      }),
    );
  }

  #forgetOldReplies(now: number): void {
    for (const [user, at] of this.#rateLimitReplies) {
      if (now - at >= this.#o.rateLimitReplyIntervalMs) this.#rateLimitReplies.delete(user);
    }
  }

  #ignore(why: IgnoredWhy, ev: ToDeviceEvent, message: string, extra: object = {}): void {
    this.#o.observer?.ignored?.(why);
    const level = why === "not_a_call_event" || why === "rate_limited" ? "debug" : "warn";
    this.#log[level]({ why, type: ev.type, sender: ev.sender, ...extra }, `ignored: ${message}`);
  }

  #refuse(msg: Parsed, reason: HangupReasonCode, detail: string): void {
    const { ev, event } = msg;
    const c = event.content;
    const to = { userId: ev.sender, deviceId: c.device_id };
    this.#o.observer?.refused?.(reason);
    this.#log.warn(
      { reason, detail, callId: c.call_id, confId: c.conf_id, caller: to },
      "call refused",
    );
    const hangup = buildHangup({
      callId: c.call_id,
      confId: c.conf_id,
      roomId: c.room_id,
      focus: this.#o.focus,
      sessionId: this.#o.sessionId,
      destSessionId: c.sender_session_id,
      reason,
      now: this.#o.clock.now(),
    });
    this.#o.signalling.sendCallEvent(to, hangup).catch((err: unknown) => {
      this.#log.warn({ err: String(err), callId: c.call_id }, "could not send the refusal");
    });
  }
}

function callIdOf(ev: ToDeviceEvent): string | undefined {
  const c = ev.content as Record<string, unknown> | null;
  return typeof c === "object" && c !== null && typeof c.call_id === "string"
    ? c.call_id
    : undefined;
}
