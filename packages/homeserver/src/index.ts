export { type Clock, ManualClock, systemClock, type TimerHandle } from "./clock.ts";
export { homeserverDefaults } from "./defaults.ts";
export type {
  HomeserverOptions,
  RtcTransport,
  RunningHomeserver,
  TurnServerConfig,
} from "./options.ts";
export { startHomeserver } from "./server.ts";
