// Every default of the local stack (`npm start` and the browser tests), in one place.
// Environment variables that override them are read in start.ts only.

export const stackDefaults = {
  /** Interface every server of the stack binds to. */
  host: "127.0.0.1",
  /** Port of the embedded homeserver for `npm start` (env HOMESERVER_PORT). */
  homeserverPort: 8008,
  /** Port of the demo web app for `npm start` (env DEMO_PORT). */
  demoPort: 8080,
  /** Matrix server name of the embedded homeserver. */
  serverName: "localhost",
  /** Directory (relative to the repository root) holding all persistent state of `npm start`. */
  dataDir: ".data",
  /** SQLite file of the homeserver, inside dataDir. */
  homeserverDatabaseFile: "homeserver.sqlite",
  /** How many foci `npm start` runs (env FOCI). */
  foci: 1,
  /** Most foci the stack will start. */
  maxFoci: 4,
  /** Password of the focus accounts the stack creates (a local development stack only). */
  focusPassword: "focus-local-dev-password",
  /** Log level passed to each focus. */
  focusLogLevel: "info",
  /** How long a focus may take to log in before the stack reports it as not ready, ms. */
  focusReadyTimeoutMs: 30_000,
  /** How long a stopping focus gets after SIGTERM before it is killed, ms. */
  focusStopGraceMs: 5_000,
  /** Output directory of the demo bundle, relative to apps/demo. */
  demoOutDir: "dist",
} as const;

/** The account and device of focus number `index` (0-based): @focus, @focus2, ... */
export function focusIdentity(index: number): { username: string; deviceId: string } {
  return index === 0
    ? { username: "focus", deviceId: "FOCUS" }
    : { username: `focus${index + 1}`, deviceId: `FOCUS${index + 1}` };
}
