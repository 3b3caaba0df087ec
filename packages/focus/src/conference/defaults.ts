// Every default of the conference layer, in one place.

export interface KeepAliveOptions {
  /** How often the focus pings each participant over the data channel, ms (<= 30 s). */
  pingIntervalMs: number;
  /** A participant that has not answered any ping for this long is hung up, ms. */
  pongTimeoutMs: number;
}

export interface ConferenceLimits {
  /** Most items in one m.call.track_subscription list (subscribe + unsubscribe). */
  maxSubscriptionItems: number;
  /** Most participants in one conference; more are refused with `capacity`. */
  maxParticipantsPerConference: number;
  /** How long a call may take from invite to a connected peer connection, ms. */
  connectTimeoutMs: number;
  /**
   * m.call.candidates events kept for conferences that have no call yet (their invite may
   * still be on its way), across all such conferences; more are dropped.
   */
  maxEarlyCandidateEvents: number;
  /** How long those early candidates are kept, ms. */
  earlyCandidatesTtlMs: number;
}

/** Renegotiation over the data channel (m.call.negotiate), see docs/media.md. */
export interface NegotiationTimings {
  /** An offer of the focus not answered within this long is rolled back and offered again, ms. */
  answerTimeoutMs: number;
  /** Re-offers after the first unanswered offer; when the last one is not answered either the
   * call is hung up, so that the client's reconnect starts afresh instead of a stuck call. */
  maxReoffers: number;
}

/** Timing of a call's own signalling (not configurable). */
export interface CallTimings {
  /** Local ICE candidates gathered within this long go out in one m.call.candidates, ms. */
  candidateBatchMs: number;
}

export const keepAliveDefaults: KeepAliveOptions = {
  pingIntervalMs: 10_000,
  pongTimeoutMs: 30_000,
};

export const limitDefaults: ConferenceLimits = {
  maxSubscriptionItems: 200,
  maxParticipantsPerConference: 100,
  connectTimeoutMs: 30_000,
  maxEarlyCandidateEvents: 200,
  earlyCandidatesTtlMs: 30_000,
};

export const negotiationDefaults: NegotiationTimings = {
  answerTimeoutMs: 10_000,
  maxReoffers: 3,
};

export const callTimingDefaults: CallTimings = {
  candidateBatchMs: 20,
};
