// Writing this device's membership and keeping it current. Three ways, one interface:
// - RtcSessionMembership: the per-device shape through matrix-js-sdk's MatrixRTCSession (what
//   Element Call uses: refreshes, delayed leave events, retries) — the default;
// - StateMembership "perDevice": the same shape written directly (for clients without
//   `matrixRTC`), focus_active naming our focus type;
// - StateMembership "legacy": the MSC3401 `m.calls` shape with m.foci.active/preferred.

import {
  type NameVariant,
  perDeviceMemberStateKey,
  StateEventNames,
  spell,
  Values,
} from "@matrix-focus/protocol";
import type { MatrixClient, Room } from "matrix-js-sdk";
import type { JoinSessionConfig } from "matrix-js-sdk/lib/matrixrtc/index.js";
import type { Logger } from "../log.ts";
import type { FocusRef } from "../types.ts";
import type { Clock, TimerHandle } from "../util/Clock.ts";
import { legacyContent, perDeviceContent } from "./memberContent.ts";

export interface MembershipPublisher {
  /** Writes the membership naming `focus` as the focus in use; resolves once it is in the room. */
  publish(focus: FocusRef, preferred: FocusRef[]): Promise<void>;
  /** Removes the membership. */
  leave(): Promise<void>;
}

export interface StateMembershipOptions {
  shape: "legacy" | "perDevice";
  client: MatrixClient;
  room: Room;
  /** Legacy: the m.call state key; per-device: "". */
  confId: string;
  sessionId: string;
  focusSelection: string;
  variant: NameVariant;
  expiryMs: number;
  headroomMs: number;
  clock: Clock;
  logger: Logger;
}

export class StateMembership implements MembershipPublisher {
  #o: StateMembershipOptions;
  #timer: TimerHandle | undefined;
  #createdTs: number | undefined;
  #last: { focus: FocusRef; preferred: FocusRef[] } | undefined;
  #left = false;

  constructor(o: StateMembershipOptions) {
    this.#o = o;
  }

  async publish(focus: FocusRef, preferred: FocusRef[]): Promise<void> {
    this.#last = { focus, preferred };
    this.#left = false;
    await this.#write();
  }

  async leave(): Promise<void> {
    this.#left = true;
    this.#o.clock.clearTimeout(this.#timer);
    await this.#send(this.#content(undefined));
    this.#o.logger.info("membership removed");
  }

  async #write(): Promise<void> {
    const last = this.#last;
    if (last === undefined || this.#left) return;
    await this.#send(this.#content(last));
    this.#o.logger.info(`membership (${this.#o.shape}) written naming ${last.focus.user_id}`);
    const every = Math.max(1_000, this.#o.expiryMs - this.#o.headroomMs);
    this.#o.clock.clearTimeout(this.#timer);
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#write().catch((e) => this.#o.logger.error("could not refresh the membership", e));
    }, every);
  }

  #content(own: { focus: FocusRef; preferred: FocusRef[] } | undefined): Record<string, unknown> {
    const o = this.#o;
    const userId = o.client.getUserId() ?? "";
    const deviceId = o.client.getDeviceId() ?? "";
    const now = o.clock.now();
    const withFocusFirst = own
      ? [
          own.focus,
          ...own.preferred.filter(
            (f) => f.user_id !== own.focus.user_id || f.device_id !== own.focus.device_id,
          ),
        ]
      : [];
    if (o.shape === "perDevice") {
      if (own === undefined) return {};
      this.#createdTs ??= now;
      return perDeviceContent({
        deviceId,
        createdTs: this.#createdTs,
        expiresMs: now - this.#createdTs + o.expiryMs,
        focusSelection: o.focusSelection,
        preferred: withFocusFirst,
      });
    }
    const existing = o.room.currentState.getStateEvents(this.#type(), userId)?.getContent();
    const mine = own && {
      userId,
      deviceId,
      sessionId: o.sessionId,
      confId: o.confId,
      expiresTs: now + o.expiryMs,
      active: [own.focus],
      preferred: withFocusFirst,
    };
    return legacyContent(existing, userId, deviceId, o.confId, mine, now, o.variant);
  }

  #type(): string {
    return spell(StateEventNames.callMember, this.#o.variant);
  }

  async #send(content: Record<string, unknown>): Promise<void> {
    const o = this.#o;
    const userId = o.client.getUserId() ?? "";
    const stateKey =
      o.shape === "legacy" ? userId : perDeviceMemberStateKey(userId, o.client.getDeviceId() ?? "");
    await o.client.sendStateEvent(o.room.roomId, this.#type() as never, content as never, stateKey);
  }
}

export interface RtcSessionMembershipOptions {
  client: MatrixClient;
  room: Room;
  focusSelection: string;
  expiryMs: number;
  leaveTimeoutMs: number;
  /** How long publish waits for the membership to show up in the room. */
  publishTimeoutMs: number;
  logger: Logger;
}

/** The per-device shape through matrix-js-sdk's MatrixRTCSession. */
export class RtcSessionMembership implements MembershipPublisher {
  #o: RtcSessionMembershipOptions;
  #current: string | undefined;

  constructor(o: RtcSessionMembershipOptions) {
    this.#o = o;
  }

  async publish(focus: FocusRef, preferred: FocusRef[]): Promise<void> {
    const o = this.#o;
    const session = o.client.matrixRTC.getRoomSession(o.room);
    const key = `${focus.user_id}|${focus.device_id}`;
    if (session.isJoined() && this.#current === key) return;
    if (session.isJoined()) await session.leaveRoomSession(o.leaveTimeoutMs);
    const rest = preferred.filter(
      (f) => f.user_id !== focus.user_id || f.device_id !== focus.device_id,
    );
    const config: JoinSessionConfig = {
      manageMediaKeys: false,
      membershipEventExpiryMs: o.expiryMs,
    };
    if (o.focusSelection === Values.focusSelectionMultiSfu)
      session.joinRoomSession(rest, focus, config);
    else session.joinRoomSession([focus, ...rest], undefined, config);
    this.#current = key;
    o.logger.info(`joined the MatrixRTC session naming ${focus.user_id} (${o.focusSelection})`);
    await this.#waitForOwnMembership();
  }

  async leave(): Promise<void> {
    const session = this.#o.client.matrixRTC.getRoomSession(this.#o.room);
    this.#current = undefined;
    const ok = await session.leaveRoomSession(this.#o.leaveTimeoutMs);
    this.#o.logger.info(
      ok ? "left the MatrixRTC session" : "leaving the MatrixRTC session timed out",
    );
  }

  /** Resolves when the own membership is in the room state (or after the timeout). */
  #waitForOwnMembership(): Promise<void> {
    const { client, room, publishTimeoutMs, logger } = this.#o;
    const userId = client.getUserId() ?? "";
    const stateKey = perDeviceMemberStateKey(userId, client.getDeviceId() ?? "");
    const present = (): boolean => {
      const e = room.currentState.getStateEvents(
        spell(StateEventNames.callMember, "unstable"),
        stateKey,
      );
      return e !== null && Object.keys(e.getContent()).length > 0;
    };
    return new Promise((resolve) => {
      if (present()) return resolve();
      const started = Date.now();
      const poll = setInterval(() => {
        if (present() || Date.now() - started > publishTimeoutMs) {
          clearInterval(poll);
          if (!present()) logger.warn("the membership did not show up in time; calling anyway");
          resolve();
        }
      }, 100);
    });
  }
}
