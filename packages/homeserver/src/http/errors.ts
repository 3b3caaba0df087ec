/** A Matrix error answer: HTTP status, errcode and a readable reason. */
export class MatrixError extends Error {
  readonly status: number;
  readonly errcode: string;
  readonly extra: Record<string, unknown>;

  constructor(
    status: number,
    errcode: string,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = status;
    this.errcode = errcode;
    this.extra = extra;
  }

  toJSON(): Record<string, unknown> {
    return { errcode: this.errcode, error: this.message, ...this.extra };
  }
}

export const errors = {
  forbidden: (why: string) => new MatrixError(403, "M_FORBIDDEN", why),
  notFound: (why: string) => new MatrixError(404, "M_NOT_FOUND", why),
  unrecognized: (why = "Unrecognized request") => new MatrixError(404, "M_UNRECOGNIZED", why),
  missingToken: () => new MatrixError(401, "M_MISSING_TOKEN", "Missing access token"),
  unknownToken: () =>
    new MatrixError(401, "M_UNKNOWN_TOKEN", "Unrecognised access token", { soft_logout: false }),
  badJson: (why: string) => new MatrixError(400, "M_BAD_JSON", why),
  notJson: (why = "Content not JSON") => new MatrixError(400, "M_NOT_JSON", why),
  invalidParam: (why: string) => new MatrixError(400, "M_INVALID_PARAM", why),
  missingParam: (why: string) => new MatrixError(400, "M_MISSING_PARAM", why),
  tooLarge: (why: string) => new MatrixError(413, "M_TOO_LARGE", why),
  limitExceeded: (retryAfterMs: number) =>
    new MatrixError(429, "M_LIMIT_EXCEEDED", "Too many requests", {
      retry_after_ms: retryAfterMs,
    }),
  userInUse: () => new MatrixError(400, "M_USER_IN_USE", "User ID already taken"),
  invalidUsername: (why: string) => new MatrixError(400, "M_INVALID_USERNAME", why),
  unknown: (why = "Internal server error") => new MatrixError(500, "M_UNKNOWN", why),
  unsupportedRoomVersion: (v: string) =>
    new MatrixError(400, "M_UNSUPPORTED_ROOM_VERSION", `Unsupported room version ${v}`),
  roomInUse: () => new MatrixError(400, "M_ROOM_IN_USE", "Room alias already taken"),
};
