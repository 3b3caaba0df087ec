import { EventType, MsgType } from "matrix-js-sdk/lib/@types/event.js";
import { KnownMembership } from "matrix-js-sdk/lib/@types/membership.js";

/**
 * Matrix names the homeserver needs, taken from matrix-js-sdk so that no event type is spelled
 * out here.
 */
export const RoomEventType = {
  create: EventType.RoomCreate,
  member: EventType.RoomMember,
  powerLevels: EventType.RoomPowerLevels,
  joinRules: EventType.RoomJoinRules,
  historyVisibility: EventType.RoomHistoryVisibility,
  guestAccess: EventType.RoomGuestAccess,
  canonicalAlias: EventType.RoomCanonicalAlias,
  name: EventType.RoomName,
  topic: EventType.RoomTopic,
  avatar: EventType.RoomAvatar,
  encryption: EventType.RoomEncryption,
  tombstone: EventType.RoomTombstone,
  serverAcl: EventType.RoomServerAcl,
  redaction: EventType.RoomRedaction,
  message: EventType.RoomMessage,
} as const;

export const MessageType = { text: MsgType.Text } as const;

export const Membership = {
  join: KnownMembership.Join,
  invite: KnownMembership.Invite,
  leave: KnownMembership.Leave,
  ban: KnownMembership.Ban,
  knock: KnownMembership.Knock,
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
  password: "m.login.password",
  dummy: "m.login.dummy",
} as const;

export const UserIdentifierType = { user: "m.id.user" } as const;

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
