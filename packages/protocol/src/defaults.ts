// Every default of the protocol package in one place.
export const ProtocolDefaults = {
  /** MatrixRTC per-device membership lifetime when `expires` is absent (4 hours, as matrix-js-sdk). */
  membershipExpiresMs: 4 * 60 * 60 * 1000,
  /** `lifetime` of an invite we write when none is given (ms). */
  inviteLifetimeMs: 60_000,
  /** Largest data-channel message parsed (bytes): SCTP's message size as werift negotiates it. */
  dataChannelMaxMessageBytes: 64 * 1024,
} as const;
