// Public API of @matrix-focus/client.
export type { CallImpl } from "./Call.ts";
export { CallDefaults } from "./defaults.ts";
export { CallError, CallErrorReason, type CallErrorReasonCode } from "./errors.ts";
export { focusKey, isCallableFocus, type MemberFoci, selectFoci } from "./focus/FocusSelector.ts";
export {
  DefaultReconnectPolicy,
  type DefaultReconnectPolicyOptions,
  type ReconnectContext,
  type ReconnectPolicy,
} from "./focus/ReconnectPolicy.ts";
export { joinCall } from "./joinCall.ts";
export { consoleLogger, LOG_PREFIX, type Logger } from "./log.ts";
export type {
  Call,
  CallDump,
  CallEvents,
  CallOptions,
  CallState,
  FocusRef,
  RemoteStream,
  StreamPurpose,
  StreamStats,
} from "./types.ts";
