// The Matrix names the homeserver uses, all from the project's one table in @matrix-focus/protocol.
export {
  Capability,
  DelayedEventsMsc,
  JoinRule,
  LoginType,
  Membership,
  MessageType,
  RoomEventType,
  RtcTransportsMsc,
  UserIdentifierType,
  WellKnownKey,
} from "@matrix-focus/protocol";
