// What a bot is and does: its identities, how its call events reach the focus, what it
// publishes and how it behaves on the network.
import type { CallEvent } from "@matrix-focus/protocol";
import type { LayerSpec } from "./syntheticMedia.ts";

export interface DeviceRef {
  userId: string;
  deviceId: string;
}

export interface BotOptions {
  user: DeviceRef;
  focus: DeviceRef;
  conference: { roomId: string; confId: string };
  /** Delivers a call event from the bot to the focus. */
  send: (event: CallEvent) => void;
  /** Publish audio (default true) and simulcast video (default true). */
  audio?: boolean;
  video?: boolean;
  layers?: LayerSpec[];
  /** Video frames per second (default 15). */
  fps?: number;
  /** Share of video packets not sent the first time (resent when NACKed), 0..1. */
  videoLoss?: number;
  /**
   * Retransmit as Chrome does for simulcast: RTX on a separate SSRC tagged with
   * repaired-rtp-stream-id (default false: resend the original packet).
   */
  rtxRetransmissions?: boolean;
  /** Simulcast layers (rids) that start paused (see Bot.setLayerPaused). */
  pausedLayers?: string[];
  /** Answer m.call.ping (default true). */
  answerPings?: boolean;
  /**
   * When the bot sends its ICE candidates: after the focus's answer (default), right after the
   * invite, before the invite, or never.
   */
  candidates?: "afterAnswer" | "withInvite" | "beforeInvite" | "never";
  /** Add the focus's ICE candidates (default true). */
  useFocusCandidates?: boolean;
  /** Share of received video packets ignored and NACKed at once, 0..1 (default 0). */
  dropReceivedVideo?: number;
}
