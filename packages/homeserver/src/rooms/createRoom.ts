import { z } from "zod";
import type { Context } from "../context.ts";
import { availableRoomVersions, roomPowerLevelDefaults } from "../defaults.ts";
import { errors } from "../http/errors.ts";
import { newRoomId } from "../ids.ts";
import { JoinRule, Membership, RoomEventType } from "../names.ts";
import type { RoomService, Sender } from "./RoomService.ts";

export const createRoomBody = z.looseObject({
  preset: z.enum(["private_chat", "public_chat", "trusted_private_chat"]).optional(),
  visibility: z.enum(["public", "private"]).optional(),
  name: z.string().optional(),
  topic: z.string().optional(),
  room_alias_name: z
    .string()
    .regex(/^[^\s:#]+$/, "may not contain whitespace, ':' or '#'")
    .optional(),
  invite: z.array(z.string()).optional(),
  initial_state: z
    .array(
      z.object({
        type: z.string().min(1),
        state_key: z.string().optional(),
        content: z.record(z.string(), z.unknown()),
      }),
    )
    .optional(),
  power_level_content_override: z.record(z.string(), z.unknown()).optional(),
  creation_content: z.record(z.string(), z.unknown()).optional(),
  room_version: z.string().optional(),
  is_direct: z.boolean().optional(),
});

export type CreateRoomBody = z.infer<typeof createRoomBody>;

function defaultPowerLevels(creator: string, invitees: string[], trusted: boolean) {
  const users: Record<string, number> = { [creator]: 100 };
  if (trusted) for (const id of invitees) users[id] = 100;
  return { ...roomPowerLevelDefaults, users };
}

/** Creates a room the way Synapse does for the presets, returning its id. */
export function createRoom(
  ctx: Context,
  rooms: RoomService,
  sender: Sender,
  body: CreateRoomBody,
): string {
  const server = ctx.config.serverName;
  const version = body.room_version ?? ctx.config.roomVersion;
  if (!availableRoomVersions.includes(version)) throw errors.unsupportedRoomVersion(version);
  const preset = body.preset ?? (body.visibility === "public" ? "public_chat" : "private_chat");
  const alias = body.room_alias_name ? `#${body.room_alias_name}:${server}` : undefined;
  if (alias && ctx.rooms.aliasRoom(alias)) throw errors.roomInUse();
  const invitees = body.invite ?? [];
  for (const id of invitees) {
    if (!ctx.accounts.userExists(id)) throw errors.notFound(`Unknown user ${id}`);
  }
  const roomId = newRoomId(server);
  ctx.db.transaction(() => {
    ctx.rooms.createRoom(
      {
        room_id: roomId,
        room_version: version,
        creator: sender.userId,
        visibility: body.visibility ?? "private",
      },
      ctx.clock.now(),
    );
    const put = (type: string, content: Record<string, unknown>, stateKey = "") =>
      rooms.append(sender, roomId, { type, stateKey, content });
    put(RoomEventType.create, {
      ...body.creation_content,
      creator: sender.userId,
      room_version: version,
    });
    const displayname = ctx.accounts.displayName(sender.userId);
    put(
      RoomEventType.member,
      { membership: Membership.join, ...(displayname ? { displayname } : {}) },
      sender.userId,
    );
    put(RoomEventType.powerLevels, {
      ...defaultPowerLevels(sender.userId, invitees, preset === "trusted_private_chat"),
      ...body.power_level_content_override,
    });
    if (alias) {
      ctx.rooms.addAlias(alias, roomId);
      put(RoomEventType.canonicalAlias, { alias });
    }
    const isPublic = preset === "public_chat";
    put(RoomEventType.joinRules, { join_rule: isPublic ? JoinRule.public : JoinRule.invite });
    put(RoomEventType.historyVisibility, { history_visibility: "shared" });
    if (!isPublic) put(RoomEventType.guestAccess, { guest_access: "can_join" });
    for (const s of body.initial_state ?? []) put(s.type, s.content, s.state_key ?? "");
    if (body.name !== undefined) put(RoomEventType.name, { name: body.name });
    if (body.topic !== undefined) put(RoomEventType.topic, { topic: body.topic });
  });
  for (const id of invitees) {
    rooms.setMembership(
      sender,
      roomId,
      id,
      Membership.invite,
      body.is_direct ? { is_direct: true } : {},
    );
  }
  ctx.logger.info({ roomId, creator: sender.userId, preset, alias }, "room created");
  return roomId;
}
