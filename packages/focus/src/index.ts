// Public API of @matrix-focus/focus: the Focus object and its configuration.
export type { FocusStats } from "./conference/ConferenceManager.ts";
export { configDefaults } from "./config/defaults.ts";
export type { FocusConfig, FocusConfigInput } from "./config/FocusConfig.ts";
export { focusConfigSchema } from "./config/FocusConfig.ts";
export { ConfigError, envVariables, loadConfig, validateConfig } from "./config/loadConfig.ts";
export { Focus, type FocusOptions } from "./Focus.ts";
export { createLogger, type Logger, type LogLevel } from "./observability/logger.ts";
