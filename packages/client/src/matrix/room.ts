// Reading what the client needs from the room and the homeserver: member state events of both
// spellings, the conference's m.call event (created when missing, legacy shape), the foci the
// homeserver advertises, and inviting the chosen focus.

import {
  ApiNames,
  buildCallStateContent,
  type NameVariant,
  StateEventNames,
  spell,
  spellings,
} from "@matrix-focus/protocol";
import { KnownMembership, type MatrixClient, Method, type Room } from "matrix-js-sdk";
import { isCallableFocus } from "../focus/FocusSelector.ts";
import type { Logger } from "../log.ts";
import type { FocusRef } from "../types.ts";
import { randomId } from "./callMessages.ts";
import type { MemberStateEvent } from "./memberContent.ts";

export function memberStateEvents(room: Room): MemberStateEvent[] {
  return spellings(StateEventNames.callMember).flatMap((type) =>
    room.currentState.getStateEvents(type).map((e) => ({
      stateKey: e.getStateKey() ?? "",
      sender: e.getSender() ?? "",
      content: e.getContent(),
      originServerTs: e.getTs(),
    })),
  );
}

/** The state key (conf_id) of the room's m.call event, if there is one with content. */
export function findConfId(room: Room): string | undefined {
  for (const type of spellings(StateEventNames.call)) {
    const events = room.currentState
      .getStateEvents(type)
      .filter((e) => Object.keys(e.getContent()).length > 0)
      .sort((a, b) => a.getTs() - b.getTs());
    const key = events[0]?.getStateKey();
    if (key !== undefined) return key;
  }
  return undefined;
}

/** The conference's conf_id, creating the room's m.call event when there is none. */
export async function ensureConfId(
  client: MatrixClient,
  room: Room,
  variant: NameVariant,
  logger: Logger,
): Promise<string> {
  const existing = findConfId(room);
  if (existing !== undefined) return existing;
  const confId = randomId();
  logger.info(`creating the room's call event with conf_id ${confId}`);
  await client.sendStateEvent(
    room.roomId,
    spell(StateEventNames.call, variant) as never,
    buildCallStateContent() as never,
    confId,
  );
  return confId;
}

/** MSC3898 foci the homeserver advertises (stable path first, then the unstable one). */
export async function fetchTransports(client: MatrixClient, logger: Logger): Promise<FocusRef[]> {
  for (const path of spellings(ApiNames.rtcTransports)) {
    try {
      const body = await client.http.authedRequest<{ rtc_transports?: unknown[] }>(
        Method.Get,
        path,
        undefined,
        undefined,
        { prefix: "" },
      );
      const foci = (body.rtc_transports ?? []).filter(isCallableFocus);
      logger.info(`homeserver advertises ${foci.length} MSC3898 foci at ${path}`);
      return foci;
    } catch (e) {
      logger.debug(`no rtc transports at ${path}`, e);
    }
  }
  return [];
}

/** Invites the focus when it is not yet in the room, so it can read the memberships. */
export async function inviteFocusIfNeeded(
  client: MatrixClient,
  room: Room,
  focus: FocusRef,
  logger: Logger,
): Promise<void> {
  const m = room.getMember(focus.user_id)?.membership;
  if (m === KnownMembership.Join || m === KnownMembership.Invite) return;
  try {
    logger.info(`inviting the focus ${focus.user_id} to the room`);
    await client.invite(room.roomId, focus.user_id);
  } catch (e) {
    logger.warn(`could not invite the focus ${focus.user_id}`, e);
  }
}
