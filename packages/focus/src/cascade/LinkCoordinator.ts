// Keeps this focus linked with the other foci of each conference it serves (docs/cascading.md):
// after every sync and on a timer it compares the foci the members use with the links that
// exist, places the missing links this focus dials (with back-off after failures), and drops
// links to foci no member uses any more. The calls themselves live in the conference layer.
// The same rules link the parts of a conference spread over several workers of this focus
// (workers/SiblingLinks.ts): there `me` is one part and "in use" are the parts with clients.
import { randomUUID } from "node:crypto";
import { type CallMembership, type FocusRef, isMembershipCurrent } from "@matrix-focus/protocol";
import type { Logger } from "pino";
import type { ConferenceLinks } from "../conference/ConferenceManager.ts";
import {
  type ConferenceInput,
  type ConferenceKey,
  conferenceKeyString,
  deviceKeyString,
} from "../conference/inputs.ts";
import { type BackoffOptions, backoffDelay } from "../matrix/backoff.ts";
import type { CallRegistry } from "../matrix/CallRegistry.ts";
import type { RoomStateTracker } from "../matrix/RoomStateTracker.ts";
import { dialsLink, fociInUse, linkAllowed, linkPeers } from "./linkPlan.ts";

export interface LinkCoordinatorOptions {
  me: FocusRef;
  /** By conference key: the foci (or parts) in use there now. */
  inUse: (now: number) => ReadonlyMap<string, readonly FocusRef[]>;
  /** Where the link calls this side places are registered (so that their answers are let in). */
  calls: Pick<CallRegistry, "add" | "remove">;
  conferences: { links(): ConferenceLinks[]; handle(input: ConferenceInput): void };
  backoff: BackoffOptions;
  logger: Logger;
}

interface Attempts {
  failures: number;
  nextAt: number;
}

export class LinkCoordinator {
  readonly #o: LinkCoordinatorOptions;
  /** conference + peer focus -> failed attempts and when the next may start. */
  readonly #attempts = new Map<string, Attempts>();

  constructor(o: LinkCoordinatorOptions) {
    this.#o = o;
  }

  /** Brings the links in line with the memberships. */
  check(now: number): void {
    const inUse = this.#o.inUse(now);
    for (const c of this.#o.conferences.links()) {
      const ck = conferenceKeyString(c.conference);
      const peers = linkPeers(this.#o.me, inUse.get(ck) ?? []);
      const wanted = new Set(peers.map(deviceKeyString));
      for (const l of c.links) {
        const key = `${ck}\u0001${deviceKeyString(l.focus)}`;
        if (!wanted.has(deviceKeyString(l.focus))) {
          this.#o.logger.info({ conference: c.conference, focus: l.focus }, "dropping a link");
          this.#o.calls.remove(l.callId);
          this.#o.conferences.handle({
            kind: "linkDropped",
            conference: c.conference,
            callId: l.callId,
          });
          this.#attempts.delete(key);
        } else if (l.state === "connected") this.#attempts.delete(key);
      }
      if (c.localParticipants === 0) continue; // nobody here needs the other foci
      for (const peer of peers) {
        if (!dialsLink(this.#o.me, peer)) continue;
        if (c.links.some((l) => deviceKeyString(l.focus) === deviceKeyString(peer))) continue;
        this.#dial(c.conference, peer, `${ck}\u0001${deviceKeyString(peer)}`, now);
      }
    }
  }

  /**
   * m.call.connect_to_focus: links with `focus` now if the memberships allow it (the request
   * only hurries what the state implies). Returns "" when accepted, else why not.
   */
  request(conference: ConferenceKey, focus: FocusRef, now: number): string {
    const ck = conferenceKeyString(conference);
    const inUse = this.#o.inUse(now).get(ck) ?? [];
    if (!linkAllowed(this.#o.me, focus, inUse))
      return "no current member of this conference uses both foci";
    this.#attempts.delete(`${ck}\u0001${deviceKeyString(focus)}`);
    this.check(now);
    return "";
  }

  #dial(conference: ConferenceKey, peer: FocusRef, key: string, now: number): void {
    const a = this.#attempts.get(key) ?? { failures: -1, nextAt: 0 };
    if (now < a.nextAt) return;
    a.failures++;
    a.nextAt = now + backoffDelay(a.failures, this.#o.backoff);
    this.#attempts.set(key, a);
    const callId = randomUUID();
    this.#o.calls.add({
      callId,
      caller: peer,
      partyId: peer.deviceId,
      callerSessionId: "",
      roomIdInMessages: true,
      conference,
      acceptedAt: now,
      link: true,
    });
    this.#o.logger.info({ conference, focus: peer, callId, attempt: a.failures }, "linking");
    this.#o.conferences.handle({ kind: "linkRequested", conference, focus: peer, callId });
  }
}

/** By conference key: the foci the current members of each conference use (from room state). */
export function fociInUseByConference(
  rooms: RoomStateTracker,
  now: number,
): Map<string, FocusRef[]> {
  const byConference = new Map<string, CallMembership[]>();
  for (const { roomId, membership } of rooms.currentMemberships(now)) {
    if (!isMembershipCurrent(membership, now)) continue;
    const k = conferenceKeyString({ roomId, confId: membership.confId });
    const list = byConference.get(k) ?? [];
    list.push(membership);
    byConference.set(k, list);
  }
  const out = new Map<string, FocusRef[]>();
  for (const [k, list] of byConference) out.set(k, fociInUse(list));
  return out;
}
