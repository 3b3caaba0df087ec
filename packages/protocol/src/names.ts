// Every Matrix name the project uses: event types, data-channel message types, content keys
// and focus types. This is the only place such names are written as strings; everything else
// imports them from here. Parsers accept every listed spelling; writers use the configured one.
//
// MSC3898 (cascaded foci): https://github.com/matrix-org/matrix-spec-proposals/pull/3898
// MSC3401 (native group VoIP): https://github.com/matrix-org/matrix-spec-proposals/pull/3401
// MSC3077 (multi-stream VoIP, sdp_stream_metadata): https://github.com/matrix-org/matrix-spec-proposals/pull/3077
// MSC4143 (MatrixRTC transports): https://github.com/matrix-org/matrix-spec-proposals/pull/4143

/** A name with its stable spelling and, where one is in use, its unstable (prefixed) spelling. */
export interface Name {
  readonly stable: string;
  readonly unstable?: string;
}

// Overloads keep the literal spellings in the types, so schemas can use them as object keys.
function name<const S extends string>(stable: S): { readonly stable: S };
function name<const S extends string, const U extends string>(
  stable: S,
  unstable: U,
): { readonly stable: S; readonly unstable: U };
function name(stable: string, unstable?: string): Name {
  return unstable === undefined ? { stable } : { stable, unstable };
}

/** Which spelling a writer uses. */
export type NameVariant = "stable" | "unstable";

/** To-device call events (MSC2746 call signalling as used by MSC3401/MSC3898). */
export const CallEventNames = {
  invite: name("m.call.invite"),
  answer: name("m.call.answer"),
  candidates: name("m.call.candidates"),
  selectAnswer: name("m.call.select_answer"),
  hangup: name("m.call.hangup"),
  negotiate: name("m.call.negotiate"),
  sdpStreamMetadataChanged: name("m.call.sdp_stream_metadata_changed"),
} as const;
export type CallEventKind = keyof typeof CallEventNames;

/** Room state events. */
export const StateEventNames = {
  call: name("m.call", "org.matrix.msc3401.call"),
  callMember: name("m.call.member", "org.matrix.msc3401.call.member"),
  powerLevels: name("m.room.power_levels"),
  member: name("m.room.member"),
  create: name("m.room.create"),
  joinRules: name("m.room.join_rules"),
  name: name("m.room.name"),
} as const;

/** Messages on the WebRTC data channel between a device (or focus) and a focus. */
export const DataChannelNames = {
  trackSubscription: name("m.call.track_subscription"),
  negotiate: name("m.call.negotiate"),
  sdpStreamMetadataChanged: name("m.call.sdp_stream_metadata_changed"),
  ping: name("m.call.ping"),
  pong: name("m.call.pong"),
  connectToFocus: name("m.call.connect_to_focus"),
  /** [ours] success reply to a request that carried a txn_id. */
  ack: name("org.matrix.msc3898.ack"),
  /** [ours] error reply to a malformed or failed message. */
  error: name("org.matrix.msc3898.error"),
} as const;
export type DataChannelKind = keyof typeof DataChannelNames;

/** Keys inside event contents. */
export const ContentKeys = {
  sdpStreamMetadata: name("sdp_stream_metadata", "org.matrix.msc3077.sdp_stream_metadata"),
  fociActive: name("m.foci.active", "org.matrix.msc3898.foci.active"),
  fociPreferred: name("m.foci.preferred", "org.matrix.msc3898.foci.preferred"),
  calls: name("m.calls"),
  callId: name("m.call_id"),
  devices: name("m.devices"),
  intent: name("m.intent"),
  type: name("m.type"),
  msgId: name("org.matrix.msgid"),
} as const;

/** Values with a fixed meaning. */
export const Values = {
  /** [ours] the `type` of a focus object that names an MSC3898 focus by user and device. */
  focusTypeMsc3898: "org.matrix.msc3898",
  /** The LiveKit focus type, read so that memberships naming it are understood (not served). */
  focusTypeLivekit: "livekit",
  purposeUsermedia: "m.usermedia",
  purposeScreenshare: "m.screenshare",
  applicationCall: "m.call",
  scopeRoom: "m.room",
  focusSelectionMultiSfu: "multi_sfu",
  focusSelectionOldestMembership: "oldest_membership",
  intentRoom: "m.room",
  typeVideo: "m.video",
  dataChannelLabel: "datachannel",
  callVersion: "1",
  /** Suffix of MatrixRTC per-device membership state keys: `_@user:server_DEVICE_m.call`. */
  memberStateKeySuffix: "_m.call",
} as const;

/** `reason` codes of `m.call.hangup`: the MSC2746 ones we send, and [ours] refusal codes. */
export const HangupReason = {
  userHangup: "user_hangup",
  keepAliveTimeout: "keep_alive_timeout",
  iceFailed: "ice_failed",
  iceTimeout: "ice_timeout",
  inviteTimeout: "invite_timeout",
  replaced: "replaced",
  /** [ours] the sender has no current membership in the conference's room. */
  notAMember: "not_a_member",
  /** [ours] the sender's membership does not name this focus. */
  focusNotNamed: "focus_not_named",
  /** [ours] the conference (room + conf_id) could not be resolved. */
  unknownConference: "unknown_conference",
  /** [ours] the invite was older than its lifetime. */
  inviteExpired: "invite_expired",
  /** [ours] the sender sent too much too fast. */
  rateLimited: "rate_limited",
  /** [ours] the focus is full. */
  capacity: "capacity",
  /** [ours] the offer could not be used. */
  badOffer: "bad_offer",
  /** [ours] the focus is shutting down. */
  focusShutdown: "focus_shutdown",
  /** [ours] the focus's renegotiation offer (m.call.negotiate) and its re-offers went unanswered. */
  negotiationTimeout: "negotiation_timeout",
} as const;
export type HangupReasonCode = (typeof HangupReason)[keyof typeof HangupReason];

/** [ours] `errcode` values of `org.matrix.msc3898.error` replies on the data channel. */
export const DataChannelErrorCode = {
  notJson: "M_NOT_JSON",
  badJson: "M_BAD_JSON",
  unrecognized: "M_UNRECOGNIZED",
  notFound: "M_NOT_FOUND",
  limitExceeded: "M_LIMIT_EXCEEDED",
  tooLarge: "M_TOO_LARGE",
  forbidden: "M_FORBIDDEN",
  unknown: "M_UNKNOWN",
} as const;
export type DataChannelErrorCodeValue =
  (typeof DataChannelErrorCode)[keyof typeof DataChannelErrorCode];

/** Client-server login: authentication and user identifier types. */
export const AuthNames = {
  loginPassword: name("m.login.password"),
  loginDummy: name("m.login.dummy"),
  userIdentifier: name("m.id.user"),
} as const;

/** Paths and query names of HTTP APIs. */
export const ApiNames = {
  rtcTransports: name(
    "/_matrix/client/v1/rtc/transports",
    "/_matrix/client/unstable/org.matrix.msc4143/rtc/transports",
  ),
  delayedEventsQuery: name("org.matrix.msc4140.delay"),
} as const;

/** Every spelling of a name, stable first. */
export function spellings(n: Name): string[] {
  return n.unstable === undefined ? [n.stable] : [n.stable, n.unstable];
}

/** True when `value` is one of the spellings of `n`. */
export function isName(n: Name, value: string): boolean {
  return value === n.stable || value === n.unstable;
}

/** The spelling a writer uses: the unstable one when asked for and one exists. */
export function spell(n: Name, variant: NameVariant = "stable"): string {
  return variant === "unstable" && n.unstable !== undefined ? n.unstable : n.stable;
}

/** Finds which key of a table a received name belongs to. */
export function lookUpName<T extends Record<string, Name>>(
  table: T,
  value: string,
): keyof T | undefined {
  for (const key of Object.keys(table) as (keyof T)[]) {
    if (isName(table[key] as Name, value)) return key;
  }
  return undefined;
}
