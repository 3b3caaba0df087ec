import { RuleId } from "matrix-js-sdk/lib/@types/PushRules.js";

// Default rule ids matrix-js-sdk expects to find (it warns about each missing one). The server
// never pushes, so every rule is listed disabled and without conditions.
const overrideIds: string[] = [
  RuleId.Master,
  RuleId.SuppressNotices,
  RuleId.InviteToSelf,
  RuleId.MemberEvent,
  RuleId.IsUserMention,
  RuleId.ContainsDisplayName,
  RuleId.IsRoomMention,
  RuleId.AtRoomNotification,
  RuleId.Tombstone,
  ".m.rule.reaction",
  ".m.rule.room.server_acl",
  ".org.matrix.msc3786.rule.room.server_acl",
  ".m.rule.suppress_edits",
];

const underrideIds: string[] = [
  RuleId.IncomingCall,
  ".org.matrix.msc3914.rule.room.call",
  RuleId.EncryptedDM,
  RuleId.DM,
  RuleId.Message,
  RuleId.EncryptedMessage,
];

const disabled = (rule_id: string) => ({
  rule_id,
  default: true,
  enabled: false,
  conditions: [],
  actions: [],
});

/** A static push rule set in the shape matrix-js-sdk expects. */
export function defaultPushRules() {
  return {
    global: {
      override: overrideIds.map(disabled),
      content: [],
      room: [],
      sender: [],
      underride: underrideIds.map(disabled),
    },
  };
}
