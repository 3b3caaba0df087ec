// joinCall: plugs a call into the app's MatrixClient. Resolves the options against the defaults,
// gets the local media, finds the preferred foci, writes the membership, calls the chosen focus
// and returns the Call (state "connecting"); events tell the rest.

import { Values } from "@matrix-focus/protocol";
import type { MatrixClient } from "matrix-js-sdk";
import { CallImpl } from "./Call.ts";
import { CallDefaults } from "./defaults.ts";
import { CallError, CallErrorReason } from "./errors.ts";
import { FocusConnection } from "./focus/FocusConnection.ts";
import { DefaultReconnectPolicy } from "./focus/ReconnectPolicy.ts";
import { childLogger, consoleLogger, type Logger } from "./log.ts";
import { randomId } from "./matrix/callMessages.ts";
import {
  type MembershipPublisher,
  RtcSessionMembership,
  StateMembership,
} from "./matrix/MembershipPublisher.ts";
import { readMemberships, toMemberFoci } from "./matrix/memberContent.ts";
import {
  ensureConfId,
  fetchTransports,
  inviteFocusIfNeeded,
  memberStateEvents,
} from "./matrix/room.ts";
import { ToDeviceChannel } from "./matrix/ToDeviceChannel.ts";
import { LocalMedia } from "./tracks/LocalMedia.ts";
import type { Call, CallOptions } from "./types.ts";
import { systemClock } from "./util/Clock.ts";

export async function joinCall(
  client: MatrixClient,
  roomId: string,
  options: CallOptions = {},
): Promise<Call> {
  const logger: Logger = options.logger ?? consoleLogger();
  const shape = options.membershipShape ?? CallDefaults.membershipShape;
  const focusSelection = options.focusSelection ?? CallDefaults.focusSelection;
  const variant = options.nameVariant ?? CallDefaults.nameVariant;
  const expiryMs = options.membershipExpiryMs ?? CallDefaults.membershipExpiryMs;
  const clock = systemClock;
  const room = client.getRoom(roomId);
  if (room === null) throw CallError.roomNotFound(roomId);
  const userId = client.getUserId();
  const deviceId = client.getDeviceId();
  if (userId === null || deviceId === null)
    throw CallError.invalidState("the client has no user or device id");
  logger.info(
    `joining the call in ${roomId} as ${userId}/${deviceId} (${shape}, ${focusSelection})`,
  );

  let local: LocalMedia;
  try {
    local = await LocalMedia.create({
      ...(options.localStream !== undefined ? { stream: options.localStream } : {}),
      audio: options.audio ?? CallDefaults.audio,
      video: options.video ?? CallDefaults.video,
      devices: navigator.mediaDevices,
      logger: childLogger(logger, "media"),
    });
  } catch (e) {
    throw CallError.mediaUnavailable(e);
  }

  const toDevice = new ToDeviceChannel(client, childLogger(logger, "to-device"));
  try {
    const ownPreferred = options.foci ?? (await fetchTransports(client, logger));
    const confId = shape === "legacy" ? await ensureConfId(client, room, variant, logger) : "";
    const sessionId = randomId();
    const membershipLogger = childLogger(logger, "membership");
    let membership: MembershipPublisher;
    if (shape === "perDevice" && client.matrixRTC !== undefined) {
      membership = new RtcSessionMembership({
        client,
        room,
        focusSelection,
        expiryMs,
        leaveTimeoutMs: CallDefaults.leaveTimeoutMs,
        publishTimeoutMs: CallDefaults.answerTimeoutMs,
        logger: membershipLogger,
      });
    } else {
      membership = new StateMembership({
        shape,
        client,
        room,
        confId,
        sessionId,
        focusSelection,
        variant,
        expiryMs,
        headroomMs: CallDefaults.membershipRefreshHeadroomMs,
        clock,
        logger: membershipLogger,
      });
    }
    const connLogger = childLogger(logger, "focus");
    const call = new CallImpl({
      roomId,
      confId,
      userId,
      deviceId,
      sessionId,
      membershipShape: shape,
      selectionMode:
        shape === "perDevice" && focusSelection === Values.focusSelectionMultiSfu
          ? "own_preferred"
          : "flowchart",
      ownPreferred,
      readMembers: () =>
        toMemberFoci(
          readMemberships(
            memberStateEvents(room),
            { legacy: shape === "legacy" ? confId : undefined, perDevice: "" },
            clock.now(),
          ),
        ),
      beforeCalling: (focus) => inviteFocusIfNeeded(client, room, focus, logger),
      local,
      membership,
      toDevice,
      policy: options.reconnectPolicy ?? new DefaultReconnectPolicy(),
      clock,
      logger,
      makeStream: () => new MediaStream(),
      connect: (focus, callId, answerTimeoutMs) =>
        new FocusConnection({
          toDevice,
          identity: {
            callId,
            confId,
            roomId,
            deviceId,
            sessionId,
            focusUserId: focus.user_id,
            focusDeviceId: focus.device_id,
          },
          local,
          userId,
          simulcast: options.simulcast ?? CallDefaults.simulcast,
          layers: CallDefaults.simulcastLayers,
          iceServers: CallDefaults.iceServers,
          clock,
          logger: connLogger,
          variant,
          inviteLifetimeMs: CallDefaults.inviteLifetimeMs,
          answerTimeoutMs: answerTimeoutMs ?? CallDefaults.answerTimeoutMs,
          connectTimeoutMs: CallDefaults.connectTimeoutMs,
          pingTimeoutMs: options.pingTimeoutMs ?? CallDefaults.pingTimeoutMs,
          disconnectedGraceMs: options.disconnectedGraceMs ?? CallDefaults.disconnectedGraceMs,
          candidateBatchMs: CallDefaults.candidateBatchMs,
        }),
    });
    await call.begin();
    return call;
  } catch (e) {
    local.close();
    toDevice.close();
    logger.error("could not join the call", e);
    throw e instanceof CallError
      ? e
      : new CallError(CallErrorReason.membershipFailed, `could not join: ${e}`, e);
  }
}
