// Links between the parts of a conference spread over several workers (Placement.ts decides
// the parts). The parts link like foci do (docs/cascading.md): one LinkCoordinator per worker,
// where `me` is that worker's part and "in use" are the parts with clients of their own (or,
// for the home, with links to other foci); the lower part dials. Each part stands for this
// focus under a name of its own, `<device_id>#worker<N>`, which never leaves the process: the
// call events a worker sends to such a name are delivered here, as input of the other worker,
// with the sender's name as their party (`deliver`). The media crosses between the two
// workers' own sockets on loopback like any link's.
import type { CallEvent, FocusRef } from "@matrix-focus/protocol";
import type { Logger } from "pino";
import { cascadeDefaults } from "../cascade/defaults.ts";
import { LinkCoordinator } from "../cascade/LinkCoordinator.ts";
import type { ConferenceLinks } from "../conference/ConferenceManager.ts";
import {
  type ConferenceInput,
  type ConferenceKey,
  conferenceKeyString,
  type DeviceRef,
} from "../conference/inputs.ts";

const marker = "#worker";

/** The name under which worker `w`'s parts link with their siblings. */
export function siblingRef(me: DeviceRef, w: number): DeviceRef {
  return { userId: me.userId, deviceId: `${me.deviceId}${marker}${w}` };
}

/** The worker a sibling name stands for, or undefined if `ref` is not one of ours. */
export function siblingIndex(me: DeviceRef, ref: DeviceRef, workers: number): number | undefined {
  const prefix = `${me.deviceId}${marker}`;
  if (ref.userId !== me.userId || !ref.deviceId.startsWith(prefix)) return undefined;
  const digits = ref.deviceId.slice(prefix.length);
  if (!/^\d+$/.test(digits)) return undefined;
  const w = Number(digits);
  return w < workers ? w : undefined;
}

export interface SiblingLinksOptions {
  me: DeviceRef;
  workers: number;
  /** The conferences with more than one part, each with its workers (home first). */
  spread: () => { key: string; parts: number[] }[];
  /** Worker `w`'s conferences and their links, from its last snapshot. */
  linksOf: (w: number) => readonly ConferenceLinks[];
  /** Hands an input to worker `w`. */
  post: (w: number, input: ConferenceInput) => void;
  logger: Logger;
}

/** What one check works from: the parts with clients (or links to other foci), by conference. */
type Round = Map<string, Set<number>>;

export class SiblingLinks {
  readonly #o: SiblingLinksOptions;
  readonly #coordinators: LinkCoordinator[];
  /** The parts in use during the current check (computed once for every coordinator). */
  #round: Round = new Map();

  constructor(o: SiblingLinksOptions) {
    this.#o = o;
    const noCalls = { add: () => {}, remove: () => {} };
    this.#coordinators = Array.from(
      { length: o.workers },
      (_, w) =>
        new LinkCoordinator({
          me: siblingRef(o.me, w),
          inUse: () => this.#inUse(),
          calls: noCalls,
          conferences: {
            links: () => this.#view(w),
            handle: (input) =>
              o.post(w, input.kind === "linkRequested" ? { ...input, sibling: true } : input),
          },
          backoff: cascadeDefaults.retry,
          logger: o.logger,
        }),
    );
  }

  /**
   * Places missing sibling links and drops those no longer needed (after each snapshot).
   * Nothing to do while no conference is spread and no sibling link is left.
   */
  check(now: number): void {
    const spread = this.#o.spread();
    const links = (w: number) => this.#o.linksOf(w).some((c) => c.links.some((l) => l.sibling));
    if (spread.length === 0 && !this.#coordinators.some((_, w) => links(w))) return;
    this.#round = new Map(
      spread.map(({ key, parts }) => [
        key,
        new Set(parts.filter((w, i) => this.#partInUse(w, key, i === 0))),
      ]),
    );
    for (const c of this.#coordinators) c.check(now);
  }

  /**
   * A call event worker `from` sends to `to`: when `to` is a sibling name, the input to hand to
   * that worker (with `from`'s name as sender and party); otherwise undefined.
   */
  deliver(
    from: number,
    to: DeviceRef,
    event: CallEvent,
  ): { worker: number; input: ConferenceInput } | undefined {
    const worker = siblingIndex(this.#o.me, to, this.#o.workers);
    if (worker === undefined) return undefined;
    const sender = siblingRef(this.#o.me, from);
    const c = event.content;
    const conference: ConferenceKey = { roomId: c.room_id ?? "", confId: c.conf_id };
    const content = { ...c, party_id: sender.deviceId, device_id: sender.deviceId };
    return {
      worker,
      input: {
        kind: "callEventReceived",
        conference,
        sender,
        event: { ...event, content } as CallEvent,
        link: true,
        sibling: true,
      },
    };
  }

  /** Whether worker `w`'s part of a conference needs links to its siblings. */
  #partInUse(w: number, key: string, home: boolean): boolean {
    const c = this.#o.linksOf(w).find((x) => conferenceKeyString(x.conference) === key);
    if (c === undefined) return false;
    return c.localParticipants > 0 || (home && c.links.some((l) => !l.sibling));
  }

  #inUse(): Map<string, FocusRef[]> {
    const out = new Map<string, FocusRef[]>();
    for (const [key, used] of this.#round)
      out.set(
        key,
        [...used].map((w) => siblingRef(this.#o.me, w)),
      );
    return out;
  }

  /** Worker `w`'s conferences as its coordinator sees them: sibling links only. */
  #view(w: number): ConferenceLinks[] {
    return this.#o.linksOf(w).map((c) => ({
      conference: c.conference,
      localParticipants: this.#round.get(conferenceKeyString(c.conference))?.has(w) ? 1 : 0,
      links: c.links.filter((l) => l.sibling),
    }));
  }
}
