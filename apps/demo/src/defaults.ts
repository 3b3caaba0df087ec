// Every default of the demo web app, in one place.
export const demoDefaults = {
  /** Homeserver offered on the sign-in form when /config.json does not name one. */
  homeserverUrl: "http://127.0.0.1:8008",
  /** Where the session (access token) of this tab is kept: one session per tab. */
  sessionStorageKey: "matrix-focus-demo.session",
  /** How often the per-tile stats overlay is refreshed, ms. */
  statsIntervalMs: 1000,
  /** How often audio levels are sampled for the speaker view, ms. */
  audioLevelIntervalMs: 200,
  /** RMS level (0..1) above which a stream counts as speaking. */
  speakingThreshold: 0.02,
  /** How long a new speaker must be the loudest before the large tile switches to them, ms. */
  speakerHoldMs: 1500,
  /** Timeout of the first sync after signing in, ms. */
  initialSyncTimeoutMs: 30_000,
  /** Camera size asked for (ideal, not exact): big enough for three simulcast layers. */
  camera: { width: 1280, height: 720 },
  /** Size and frame rate of the test-pattern screen share (canvas). */
  testPattern: { width: 1280, height: 720, fps: 15 },
} as const;
