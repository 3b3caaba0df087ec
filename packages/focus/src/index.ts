// Public API of @matrix-focus/focus: the Focus object and its configuration.
export {
  type CallSignalling,
  ConferenceManager,
  type ConferenceManagerOptions,
  type FocusStats,
} from "./conference/ConferenceManager.ts";
export type { ConferenceInput, ConferenceKey, DeviceRef } from "./conference/inputs.ts";
export { configDefaults } from "./config/defaults.ts";
export type { FocusConfig, FocusConfigInput } from "./config/FocusConfig.ts";
export { focusConfigSchema } from "./config/FocusConfig.ts";
export { ConfigError, envVariables, loadConfig, validateConfig } from "./config/loadConfig.ts";
export { Focus, type FocusOptions } from "./Focus.ts";
export { useCachedFingerprints } from "./media/webrtc/certificateFingerprints.ts";
export { useDtlsClientGuard } from "./media/webrtc/dtlsClientGuard.ts";
export { useEarlyDtls } from "./media/webrtc/earlyDtls.ts";
export {
  type GcmContext,
  gcmContextFor,
  type NativeSrtp,
  nativeSrtp,
} from "./media/webrtc/nativeSrtp.ts";
export { RtpIntercept, type RtpSink } from "./media/webrtc/rtpIntercept.ts";
export { browserSctpSending, useSctpSending } from "./media/webrtc/sctpSending.ts";
export {
  flushSends,
  sendQueue,
  sendQueueDropped,
  type UdpDestination,
  udpDestination,
} from "./media/webrtc/sendQueue.ts";
export { type DtlsSrtpState, useKeyObjects } from "./media/webrtc/srtpKeys.ts";
export { useConfiguredStunOnly } from "./media/webrtc/stunDefault.ts";
export { createLogger, type Logger, type LogLevel } from "./observability/logger.ts";
export { FocusMetrics } from "./observability/metrics.ts";
export { type Clock, FakeClock, systemClock } from "./util/Clock.ts";
export { type HelperThreadsResult, lowerHelperThreads } from "./util/helperThreads.ts";
export { type MallocTrimResult, startMallocTrim } from "./util/mallocTrim.ts";
export type { ConferenceLayer } from "./workers/ConferenceLayer.ts";
export {
  ConferenceWorkers,
  type ConferenceWorkersOptions,
} from "./workers/ConferenceWorkers.ts";
