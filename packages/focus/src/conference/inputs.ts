// Everything a conference reacts to, as past-tense facts. The Matrix side validates and
// authorises call events before handing them over; the conference never sees raw Matrix data.
import type { CallEvent } from "@matrix-focus/protocol";

/** Identifies one conference: the room and the conf_id of its call. */
export interface ConferenceKey {
  roomId: string;
  confId: string;
}

/** One device of one user. */
export interface DeviceRef {
  userId: string;
  deviceId: string;
}

export type ConferenceInput =
  /** A to-device call event from a member of the conference (already validated and authorised). */
  | {
      kind: "callEventReceived";
      conference: ConferenceKey;
      sender: DeviceRef;
      event: CallEvent;
      /** The sender is another focus of the conference calling to link (cascading). */
      link?: boolean;
      /** The sender is another part (worker) of this focus serving the same conference. */
      sibling?: boolean;
      /**
       * A conference spread over several workers: the device calls its other parts hold, which
       * count towards `maxParticipantsPerConference` like this part's own.
       */
      callsElsewhere?: number;
    }
  /**
   * Cascading: place a link call to another focus of the conference (this focus dials), or
   * with `sibling` to another part (worker) of this focus serving the same conference.
   */
  | {
      kind: "linkRequested";
      conference: ConferenceKey;
      focus: DeviceRef;
      callId: string;
      sibling?: boolean;
    }
  /** Cascading: end a link call (the other focus is no longer in use). */
  | { kind: "linkDropped"; conference: ConferenceKey; callId: string }
  /** A membership expired or was removed: hang up that device's call. */
  | { kind: "memberLeft"; conference: ConferenceKey; member: DeviceRef };

/** A stable string for a conference key (used as a map key). */
export function conferenceKeyString(key: ConferenceKey): string {
  return `${key.roomId}\u0000${key.confId}`;
}

/** A stable string for a device (used as a map key). */
export function deviceKeyString(d: DeviceRef): string {
  return `${d.userId}\u0000${d.deviceId}`;
}
