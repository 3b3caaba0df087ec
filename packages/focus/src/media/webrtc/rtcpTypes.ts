// RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1) and feedback formats, for the focus's own
// RTCP reading (rtcpFeedback.ts) and writing (rtcpReports.ts).
export const RtcpType = {
  SR: 200,
  RR: 201,
  SDES: 202,
  /** Transport-layer feedback (NACK). */
  RTPFB: 205,
  /** Payload-specific feedback (PLI, FIR). */
  PSFB: 206,
} as const;

/** Feedback message types (the FMT field): NACK under RTPFB; PLI and FIR under PSFB. */
export const RtcpFmt = { NACK: 1, PLI: 1, FIR: 4 } as const;
