// Drives the demo web app like a person would: register, create or open a room, join the call,
// and reads what the page shows (tiles with their data-* attributes).
import type { Page } from "playwright-core";
import { browserTestDefaults } from "./defaults.ts";
import { waitFor } from "./wait.ts";

/** What a tile shows, read from its data-* attributes and its video element. */
export interface TileView {
  streamId: string;
  userId: string;
  deviceId: string;
  purpose: string;
  local: boolean;
  size: string;
  audioMuted: boolean;
  videoMuted: boolean;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  layer: string;
  /** The video element's decoded size and CSS box. */
  videoWidth: number;
  videoHeight: number;
  boxWidth: number;
  boxHeight: number;
  /** Track ids of the element's srcObject. */
  audioTrackIds: string[];
  videoTrackIds: string[];
}

let userCounter = 0;

/** A user name unique within this test run. */
export function uniqueUsername(prefix: string): string {
  userCounter += 1;
  return `${prefix}${Date.now().toString(36)}${userCounter}`;
}

/** Opens the demo and registers a new account; resolves on the home view. */
export async function register(page: Page, demoUrl: string, username: string): Promise<void> {
  await page.goto(demoUrl);
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(browserTestDefaults.password);
  await page.getByTestId("register-submit").click();
  await page.getByTestId("home-view").waitFor({ timeout: browserTestDefaults.waitTimeoutMs });
}

/** Creates a room from the home view; resolves on the lobby with the room's shareable link. */
export async function createRoom(page: Page, name: string): Promise<string> {
  await page.getByTestId("create-room-name").fill(name);
  await page.getByTestId("create-room").click();
  await page.getByTestId("lobby-view").waitFor({ timeout: browserTestDefaults.waitTimeoutMs });
  return page.url();
}

/** Opens a room link (the account must be signed in on this page); resolves on the lobby. */
export async function openRoomLink(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.getByTestId("lobby-view").waitFor({ timeout: browserTestDefaults.waitTimeoutMs });
}

/**
 * Clicks "Join call" once the preview is ready and waits until the call is connected.
 * `focusUserId` picks the preferred focus in the lobby (stacks with more than one focus).
 */
export async function joinCallFromLobby(page: Page, focusUserId?: string): Promise<void> {
  await page
    .locator('[data-testid="lobby-status"][data-ready="true"]')
    .waitFor({ timeout: browserTestDefaults.waitTimeoutMs });
  if (focusUserId !== undefined) {
    const select = page.getByTestId("focus-select");
    const options = await select.locator("option").allTextContents();
    const label = options.find((o) => o.startsWith(`${focusUserId} `));
    if (label === undefined) throw new Error(`the lobby offers no focus ${focusUserId}`);
    await select.selectOption({ label });
  }
  await page.getByTestId("join-call").click();
  await waitForCallState(page, "connected");
}

export async function callState(page: Page): Promise<string> {
  return (await page.getByTestId("call-state").getAttribute("data-state")) ?? "";
}

export async function waitForCallState(
  page: Page,
  state: string,
  timeoutMs: number = browserTestDefaults.waitTimeoutMs,
): Promise<void> {
  await waitFor(
    `call state "${state}"`,
    async () => ((await callState(page)) === state ? true : undefined),
    {
      timeoutMs,
      describe: async () =>
        `${await page.getByTestId("call-state").textContent()}; errors: ${await page
          .getByTestId("call-errors")
          .textContent()
          .catch(() => "")}`,
    },
  );
}

/** Every tile on the page. */
export async function tiles(page: Page): Promise<TileView[]> {
  return page.$$eval('[data-testid="tile"]', (elements) =>
    elements.map((el) => {
      const d = (el as HTMLElement).dataset;
      const video = el.querySelector("video") as HTMLVideoElement | null;
      const src = video?.srcObject instanceof MediaStream ? video.srcObject : undefined;
      const box = video?.getBoundingClientRect();
      return {
        streamId: d.streamId ?? "",
        userId: d.userId ?? "",
        deviceId: d.deviceId ?? "",
        purpose: d.purpose ?? "",
        local: d.local === "true",
        size: d.size ?? "",
        audioMuted: d.audioMuted === "true",
        videoMuted: d.videoMuted === "true",
        framesDecoded: Number(d.framesDecoded ?? 0),
        frameWidth: Number(d.frameWidth ?? 0),
        frameHeight: Number(d.frameHeight ?? 0),
        layer: d.layer ?? "",
        videoWidth: video?.videoWidth ?? 0,
        videoHeight: video?.videoHeight ?? 0,
        boxWidth: Math.round(box?.width ?? 0),
        boxHeight: Math.round(box?.height ?? 0),
        audioTrackIds: src ? src.getAudioTracks().map((t) => t.id) : [],
        videoTrackIds: src ? src.getVideoTracks().map((t) => t.id) : [],
      };
    }),
  );
}

/** Remote tiles only. */
export async function remoteTiles(page: Page): Promise<TileView[]> {
  return (await tiles(page)).filter((t) => !t.local);
}

/** A short text of what tiles the page shows, for failure messages. */
export async function describeTiles(page: Page): Promise<string> {
  const all = await tiles(page);
  return JSON.stringify(
    all.map((t) => ({
      user: t.userId,
      purpose: t.purpose,
      local: t.local,
      size: t.size,
      frames: t.framesDecoded,
      decoded: `${t.videoWidth}x${t.videoHeight}`,
      muted: `${t.audioMuted ? "a" : ""}${t.videoMuted ? "v" : ""}`,
    })),
  );
}
