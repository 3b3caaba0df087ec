// Which worker(s) an input goes to (Placement.ts has the rules): a device's invite to the part
// of its conference that takes it, a device's other call events to the part holding its call
// (candidates of a call not seen yet to every part, each keeps them until the invite comes),
// a member's departure to the parts holding its calls, and everything else (links to other
// foci, their requests) to the conference's home. An invite to one part of a spread conference
// carries how many device calls the other parts hold (the participant limit is the
// conference's, not each part's).
import type { ConferenceInput } from "../conference/inputs.ts";
import { conferenceKeyString, deviceKeyString } from "../conference/inputs.ts";
import type { Placement, Route } from "./Placement.ts";

/** A route; `input`, when set, is what to hand over instead of the input routed. */
export type Routed = Route & { input?: ConferenceInput };

export function routeInput(
  placement: Placement,
  input: ConferenceInput,
  spreadAbove: number,
  now: number,
): Routed[] {
  const key = conferenceKeyString(input.conference);
  if (input.kind === "memberLeft") {
    const parts = placement.partsOfDevice(key, deviceKeyString(input.member));
    if (parts.length > 0) return parts.map((w) => placement.routeTo(key, w, now));
    return [placement.route(key, "none", now)];
  }
  if (input.kind !== "callEventReceived") return [placement.route(key, "none", now)];
  const event = input.event;
  if (input.link) return [placement.route(key, event.kind === "invite" ? "invite" : "none", now)];
  if (event.kind === "invite") {
    const device = deviceKeyString(input.sender);
    const r = placement.routeInvite(key, event.content.call_id, device, spreadAbove, now);
    const elsewhere = r.to === "worker" ? placement.callsElsewhere(key, r.worker) : 0;
    return [
      r.to === "worker" && elsewhere > 0
        ? { ...r, input: { ...input, callsElsewhere: elsewhere } }
        : r,
    ];
  }
  const part = placement.partOfCall(key, event.content.call_id);
  if (part !== undefined) return [placement.routeTo(key, part, now)];
  const parts = placement.partsOf(key);
  if (event.kind === "candidates" && parts.length > 1)
    return parts.map((w) => placement.routeTo(key, w, now));
  return [placement.route(key, event.kind === "candidates" ? "early" : "none", now)];
}
