// Logging: every line goes through a Logger; the default one writes to the console with a
// "[matrix-focus]" prefix and the area, so browser tests can read what happened.

export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export const LOG_PREFIX = "[matrix-focus]";

/** A console logger whose lines start with the prefix and the area. */
export function consoleLogger(area = "call"): Logger {
  const p = `${LOG_PREFIX} ${area}:`;
  return {
    debug: (m, ...d) => console.debug(p, m, ...d),
    info: (m, ...d) => console.info(p, m, ...d),
    warn: (m, ...d) => console.warn(p, m, ...d),
    error: (m, ...d) => console.error(p, m, ...d),
  };
}

/** A logger that adds an area to every line of another logger. */
export function childLogger(parent: Logger, area: string): Logger {
  return {
    debug: (m, ...d) => parent.debug(`${area}: ${m}`, ...d),
    info: (m, ...d) => parent.info(`${area}: ${m}`, ...d),
    warn: (m, ...d) => parent.warn(`${area}: ${m}`, ...d),
    error: (m, ...d) => parent.error(`${area}: ${m}`, ...d),
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
