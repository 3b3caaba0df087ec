// Every default of the browser tests, in one place.
import { fileURLToPath } from "node:url";

export const browserTestDefaults = {
  chromiumPath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  /** Flags for Debian's Chromium: headless, fake camera/microphone, loopback ICE. */
  chromiumArgs: [
    "--headless=new",
    "--no-sandbox",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
    // Pages in the background must keep decoding and running timers like visible ones.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
  ],
  /** Browser window size of each participant. */
  viewport: { width: 1280, height: 800 },
  /** Screenshots and logs of failed tests go here (git-ignored). */
  resultsDir: fileURLToPath(new URL("../../../test-results/", import.meta.url)),
  /** Save screenshots after every test, not only failed ones (env SCREENSHOTS=always). */
  screenshotsAlways: process.env.SCREENSHOTS === "always",
  /** Password of every test user. */
  password: "test-password-1",
  /** Default wait for a condition in the page, ms. */
  waitTimeoutMs: 30_000,
  /** Poll interval while waiting, ms. */
  pollMs: 250,
} as const;
