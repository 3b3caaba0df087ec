// Every default of the client library, in one place. docs/client.md lists them with their meaning.

import { Values } from "@matrix-focus/protocol";
import type { FocusSelection } from "./types.ts";

export const CallDefaults = {
  /** Which membership event shape to write. */
  membershipShape: "perDevice" as "perDevice" | "legacy",
  /** How the focus is chosen (per-device shape; the legacy shape always uses the MSC3898 flowchart). */
  focusSelection: Values.focusSelectionMultiSfu as FocusSelection,
  audio: true,
  video: true,
  simulcast: true,
  /** Spelling of names the client writes (state event types, content keys). */
  nameVariant: "unstable" as "stable" | "unstable",
  /** Lifetime of the membership (`expires`, `expires_ts`): 4 hours, as Element Call writes. */
  membershipExpiryMs: 4 * 60 * 60 * 1000,
  /** How long before expiry the membership is refreshed. */
  membershipRefreshHeadroomMs: 60_000,
  /** The focus pings at least every 30 s; no ping for this long means it is gone. */
  pingTimeoutMs: 60_000,
  /**
   * A peer connection whose connection or ICE state stays `disconnected` this long is taken as
   * lost (a dead focus shows as `disconnected` after a few seconds, as `failed` only after
   * ~30 s); shorter blips on a loaded machine leave the call alone.
   */
  disconnectedGraceMs: 4_000,
  /** `lifetime` of an invite. */
  inviteLifetimeMs: 30_000,
  /** How long to wait for the focus's answer before giving up on an attempt. */
  answerTimeoutMs: 15_000,
  /**
   * Reconnecting to a focus that answered before in this call: the answer is awaited for this
   * many times its measured answer latency, at least `reconnectAnswerTimeoutMinMs` and at most
   * `answerTimeoutMs`.
   */
  reconnectAnswerLatencyFactor: 10,
  reconnectAnswerTimeoutMinMs: 3_000,
  /** How long the peer connection may take to connect after the answer. */
  connectTimeoutMs: 20_000,
  /** Candidates are gathered for this long and sent in one to-device message. */
  candidateBatchMs: 50,
  /** Reconnect attempts on the same focus before another focus is tried. */
  attemptsPerFocus: 3,
  /**
   * The same for a focus that stopped answering, when another candidate exists: the loss
   * itself is the one attempt, so the call moves on at once.
   */
  attemptsPerSilentFocus: 1,
  /**
   * Delays after `not_a_member` hang-ups from a focus the call just moved to (its view of the
   * room lags the new membership), one per hang-up; then the reconnect delays apply.
   */
  notMemberRetryDelaysMs: [500, 1_000] as readonly number[],
  /** Reconnect delays in ms by attempt number (the last one repeats); total attempts cap. */
  reconnectDelaysMs: [0, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000] as readonly number[],
  reconnectJitter: 0.2,
  maxReconnectAttempts: 12,
  /** Subscription changes wait this long to be batched into one message. */
  subscriptionBatchMs: 50,
  /** At most one track_subscription message per this interval. */
  subscriptionMinIntervalMs: 250,
  /** A shown size must change by this fraction before a new size is sent. */
  resizeThreshold: 0.15,
  /** Shown sizes are multiplied by devicePixelRatio up to this factor. */
  maxPixelRatio: 2,
  /** Simulcast layers, rids exactly as the deployed client sends them. */
  simulcastLayers: [
    { rid: "f", scaleResolutionDownBy: 1, maxBitrate: 1_700_000 },
    { rid: "h", scaleResolutionDownBy: 2, maxBitrate: 300_000 },
    { rid: "q", scaleResolutionDownBy: 4, maxBitrate: 120_000 },
  ] as readonly RTCRtpEncodingParameters[],
  /** ICE servers for the peer connection (none: foci are reached on host candidates). */
  iceServers: [] as RTCIceServer[],
  /** Descriptions in a row that cannot be applied before the call to the focus is replaced. */
  negotiationMaxFailures: 3,
  /** Time allowed for the membership removal on leave. */
  leaveTimeoutMs: 5_000,
} as const;
