// Core Matrix names (rooms, membership, login, capabilities, discovery) and the unstable names
// of the MSCs the homeserver implements. Part of the one table of names: nothing outside
// packages/protocol spells these out.
//
// Client-server API: https://spec.matrix.org/latest/client-server-api/
// MSC4140 (delayed events): https://github.com/matrix-org/matrix-spec-proposals/pull/4140
import { AuthNames, StateEventNames } from "./names.ts";

/** Room event types. */
export const RoomEventType = {
  create: StateEventNames.create.stable,
  member: StateEventNames.member.stable,
  powerLevels: StateEventNames.powerLevels.stable,
  joinRules: StateEventNames.joinRules.stable,
  historyVisibility: "m.room.history_visibility",
  guestAccess: "m.room.guest_access",
  canonicalAlias: "m.room.canonical_alias",
  name: StateEventNames.name.stable,
  topic: "m.room.topic",
  avatar: "m.room.avatar",
  encryption: "m.room.encryption",
  tombstone: "m.room.tombstone",
  serverAcl: "m.room.server_acl",
  redaction: "m.room.redaction",
  message: "m.room.message",
} as const;

export const MessageType = { text: "m.text" } as const;

export const Membership = {
  join: "join",
  invite: "invite",
  leave: "leave",
  ban: "ban",
  knock: "knock",
} as const;

/** Capability names on /capabilities. */
export const Capability = {
  changePassword: "m.change_password",
  setDisplayname: "m.set_displayname",
  setAvatarUrl: "m.set_avatar_url",
  thirdPartyIdChanges: "m.3pid_changes",
  roomVersions: "m.room_versions",
} as const;

export const JoinRule = { public: "public", invite: "invite" } as const;

export const LoginType = {
  password: AuthNames.loginPassword.stable,
  dummy: AuthNames.loginDummy.stable,
} as const;

export const UserIdentifierType = { user: AuthNames.userIdentifier.stable } as const;

/** MSC4140 (delayed events): unstable prefix, feature flag and query parameters. */
export const DelayedEventsMsc = {
  feature: "org.matrix.msc4140",
  delayQuery: "org.matrix.msc4140.delay",
  parentQuery: "org.matrix.msc4140.parent_delay_id",
  /** Error fields Synapse adds when a delay is longer than allowed; matrix-js-sdk reads them. */
  errcodeField: "org.matrix.msc4140.errcode",
  maxDelayField: "org.matrix.msc4140.max_delay",
  maxDelayExceeded: "M_MAX_DELAY_EXCEEDED",
} as const;

/** MSC4143 (RTC transports): unstable feature flag and prefix. */
export const RtcTransportsMsc = {
  feature: "org.matrix.msc4143",
  /** Key of the transports list in /.well-known/matrix/client. */
  wellKnownKey: "org.matrix.msc4143.rtc_foci",
} as const;

/** Key of the homeserver entry in /.well-known/matrix/client. */
export const WellKnownKey = { homeserver: "m.homeserver" } as const;
