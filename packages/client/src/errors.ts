// Errors of the client library: one class with a reason code and static factories.

export const CallErrorReason = {
  noFocus: "no_focus",
  roomNotFound: "room_not_found",
  mediaUnavailable: "media_unavailable",
  focusUnreachable: "focus_unreachable",
  focusHungUp: "focus_hung_up",
  pingTimeout: "ping_timeout",
  connectionFailed: "connection_failed",
  negotiationFailed: "negotiation_failed",
  membershipFailed: "membership_failed",
  invalidState: "invalid_state",
  reconnectGaveUp: "reconnect_gave_up",
} as const;
export type CallErrorReasonCode = (typeof CallErrorReason)[keyof typeof CallErrorReason];

export class CallError extends Error {
  readonly reason: CallErrorReasonCode;
  override readonly cause: unknown;

  constructor(reason: CallErrorReasonCode, message: string, cause?: unknown) {
    super(message);
    this.name = "CallError";
    this.reason = reason;
    this.cause = cause;
  }

  static noFocus(roomId: string): CallError {
    return new CallError(
      CallErrorReason.noFocus,
      `no MSC3898 focus is configured or advertised for ${roomId}`,
    );
  }
  static roomNotFound(roomId: string): CallError {
    return new CallError(CallErrorReason.roomNotFound, `the client does not know room ${roomId}`);
  }
  static mediaUnavailable(cause: unknown): CallError {
    return new CallError(
      CallErrorReason.mediaUnavailable,
      `cannot get local media: ${cause}`,
      cause,
    );
  }
  static focusHungUp(reason: string): CallError {
    return new CallError(CallErrorReason.focusHungUp, `the focus hung up: ${reason}`);
  }
  static invalidState(what: string): CallError {
    return new CallError(CallErrorReason.invalidState, what);
  }
}
